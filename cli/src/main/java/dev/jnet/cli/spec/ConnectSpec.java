package dev.jnet.cli.spec;

import dev.jnet.Endpoint;
import dev.jnet.SocketOptions;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.session.Conversation;
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
 * @param peerUid the uid the server must run as ({@code --peer-uid}), or null
 * @param peerGid the gid the server must run as ({@code --peer-gid}), or null
 */
public record ConnectSpec(
    Endpoint endpoint,
    Duration connectTimeout,
    Duration linger,
    boolean verbose,
    Format format,
    InputMode input,
    boolean crlf,
    FramingMode framing,
    Integer peerUid,
    Integer peerGid) {
  /**
   * The default of {@code --connect-timeout}: a constant here, so the one-shot fast path ({@code
   * session.QuickConnect}) shares it without loading the picocli command.
   */
  public static final String DEFAULT_CONNECT_TIMEOUT = "10s";

  /** The default of {@code --linger}. */
  public static final String DEFAULT_LINGER = "10s";

  /** A connect that does not check who the server is. */
  public ConnectSpec(
      Endpoint endpoint,
      Duration connectTimeout,
      Duration linger,
      boolean verbose,
      Format format,
      InputMode input,
      boolean crlf,
      FramingMode framing) {
    this(endpoint, connectTimeout, linger, verbose, format, input, crlf, framing, null, null);
  }

  /** A plain connect: raw bytes both ways. */
  public ConnectSpec(Endpoint endpoint, Duration connectTimeout, Duration linger, boolean verbose) {
    this(endpoint, connectTimeout, linger, verbose, Format.RAW, InputMode.RAW, false, null);
  }

  /**
   * Returns the socket options of this connect.
   *
   * @return no Nagle delay, the connect timeout, and the required peer uid and gid if any
   */
  public SocketOptions socketOptions() {
    // half-open: what is still coming from stdin after the peer's end keeps going out (Conversation
    // ends the
    // socket once stdin ends or is quiet)
    SocketOptions o =
        SocketOptions.defaults()
            .withNoDelay(true)
            .withAllowHalfOpen(true)
            .withConnectTimeout(connectTimeout);
    o = peerUid == null ? o : o.withPeerUid(peerUid);
    return peerGid == null ? o : o.withPeerGid(peerGid);
  }

  public Conversation.Settings settings() {
    return new Conversation.Settings(linger, format, input, crlf, framing, verbose);
  }
}
