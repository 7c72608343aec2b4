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
 * @param format how to show the traffic on stdout
 * @param input how stdin is typed
 * @param crlf whether to send line ends as CRLF
 * @param framing a message per line, or null for a byte stream
 */
record ConnectSpec(
    Endpoint endpoint,
    Duration connectTimeout,
    Duration linger,
    boolean verbose,
    Format format,
    InputMode input,
    boolean crlf,
    FramingMode framing) {

  /** A plain connect: raw bytes both ways. */
  ConnectSpec(Endpoint endpoint, Duration connectTimeout, Duration linger, boolean verbose) {
    this(endpoint, connectTimeout, linger, verbose, Format.RAW, InputMode.RAW, false, null);
  }

  Conversation.Settings settings() {
    return new Conversation.Settings(linger, format, input, crlf, framing, verbose);
  }
}
