package dev.jnet.cli;

import dev.jnet.Endpoint;
import java.time.Duration;

/**
 * What {@code jnet connect} was asked to do.
 *
 * @param endpoint where to connect
 * @param connectTimeout how long connecting may take
 * @param linger how long to wait for the peer's end after the end of stdin
 * @param verbose whether to report more on stderr
 */
record ConnectSpec(Endpoint endpoint, Duration connectTimeout, Duration linger, boolean verbose) {}
