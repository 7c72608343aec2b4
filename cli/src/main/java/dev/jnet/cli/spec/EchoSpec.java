package dev.jnet.cli.spec;

import dev.jnet.Endpoint;

/**
 * What {@code jnet echo} was asked to do.
 *
 * @param endpoint where to listen
 * @param ioThreads how many I/O threads serve the connections
 * @param quiet whether to leave out the per-connection lines
 * @param verbose whether to report more on stderr
 */
public record EchoSpec(Endpoint endpoint, int ioThreads, boolean quiet, boolean verbose) {}
