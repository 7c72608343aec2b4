package dev.jnet.message;

import dev.jnet.ServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of a {@link MessageServer}: the options of its jnet server, the deadlines that free it
 * from stalled clients, and how much a slow subscriber may hold back a {@link
 * MessageServer#broadcast broadcast}; immutable, built from {@link #defaults()} with {@code withX}
 * methods.
 *
 * <p>Deadlines. A connection that misses one is destroyed with a {@code NetException} whose code is
 * {@code ETIMEDOUT} (syscall {@code read}; the message names the deadline), delivered as its {@code
 * error} event, then {@code close}. The clocks run whether or not the application has paused the
 * connection. {@link Duration#ZERO} turns a deadline off.
 *
 * <ul>
 *   <li>{@code firstFrameTimeout}: from accept until the first complete message has been decoded.
 *       It frees the server from clients that connect and say nothing; a client that only listens
 *       to broadcasts must send a first message (a hello), or the server must turn this deadline
 *       off.
 *   <li>{@code frameTimeout}: from the read that brings a frame's first byte until the read that
 *       completes it. It frees the server from clients that start a frame and stall (a bare header,
 *       one byte of a header, a slowloris). Time between frames is not limited; use {@code
 *       Socket#setTimeout} for idle connections.
 * </ul>
 *
 * <p>Threading: an immutable value, safe to share between threads.
 *
 * @param serverOptions the options of the jnet server and the sockets it accepts; default {@link
 *     ServerOptions#defaults()}
 * @param firstFrameTimeout the deadline for a connection's first complete message; default 30 s
 * @param frameTimeout the deadline for a frame once its first byte has arrived; default 60 s (16
 *     MiB at 2.3 Mbit/s)
 * @param maxBroadcastBacklog a broadcast recipient that still holds more than this many unsent
 *     bytes is destroyed with {@code ERR_BUFFER_FULL} instead of being sent the message; default 1
 *     MiB
 * @param heartbeat the {@link Heartbeat} of every connection: a connection whose client sent no
 *     byte for its timeout is destroyed with {@code ETIMEDOUT}; default {@link Heartbeat#off()}
 *     (why: see {@link Heartbeat})
 */
public record MessageServerOptions(
    ServerOptions serverOptions,
    Duration firstFrameTimeout,
    Duration frameTimeout,
    long maxBroadcastBacklog,
    Heartbeat heartbeat) {

  /** The default {@link #firstFrameTimeout()}: 30 s. */
  public static final Duration DEFAULT_FIRST_FRAME_TIMEOUT = Duration.ofSeconds(30);

  /** The default {@link #frameTimeout()}: 60 s. */
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(60);

  /** The default {@link #maxBroadcastBacklog()}: 1 MiB. */
  public static final long DEFAULT_MAX_BROADCAST_BACKLOG = 1 << 20;

  private static final MessageServerOptions DEFAULTS =
      new MessageServerOptions(
          ServerOptions.defaults(),
          DEFAULT_FIRST_FRAME_TIMEOUT,
          DEFAULT_FRAME_TIMEOUT,
          DEFAULT_MAX_BROADCAST_BACKLOG,
          Heartbeat.off());

  /**
   * Validates the options.
   *
   * @param serverOptions see the record description
   * @param firstFrameTimeout see the record description
   * @param frameTimeout see the record description
   * @param maxBroadcastBacklog see the record description
   * @param heartbeat see the record description
   */
  public MessageServerOptions {
    Objects.requireNonNull(serverOptions, "serverOptions");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(firstFrameTimeout, "firstFrameTimeout");
    Objects.requireNonNull(frameTimeout, "frameTimeout");
    if (firstFrameTimeout.isNegative() || frameTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "timeouts must be >= 0 (0 turns one off): " + firstFrameTimeout + ", " + frameTimeout);
    }
    if (maxBroadcastBacklog < 0) {
      throw new IllegalArgumentException(
          "maxBroadcastBacklog must be >= 0: " + maxBroadcastBacklog);
    }
  }

  /**
   * Creates options without a heartbeat (the form before {@code heartbeat} existed).
   *
   * @param serverOptions see the record description
   * @param firstFrameTimeout see the record description
   * @param frameTimeout see the record description
   * @param maxBroadcastBacklog see the record description
   */
  public MessageServerOptions(
      ServerOptions serverOptions,
      Duration firstFrameTimeout,
      Duration frameTimeout,
      long maxBroadcastBacklog) {
    this(serverOptions, firstFrameTimeout, frameTimeout, maxBroadcastBacklog, Heartbeat.off());
  }

  /**
   * Returns the defaults.
   *
   * @return the default options
   */
  public static MessageServerOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with the jnet server's options set.
   *
   * @param value the new value
   * @return the new options
   */
  public MessageServerOptions withServerOptions(ServerOptions value) {
    return new MessageServerOptions(
        value, firstFrameTimeout, frameTimeout, maxBroadcastBacklog, heartbeat);
  }

  /**
   * Returns a copy with the first-frame deadline set.
   *
   * @param value the new value; {@link Duration#ZERO} turns it off
   * @return the new options
   */
  public MessageServerOptions withFirstFrameTimeout(Duration value) {
    return new MessageServerOptions(
        serverOptions, value, frameTimeout, maxBroadcastBacklog, heartbeat);
  }

  /**
   * Returns a copy with the frame deadline set.
   *
   * @param value the new value; {@link Duration#ZERO} turns it off
   * @return the new options
   */
  public MessageServerOptions withFrameTimeout(Duration value) {
    return new MessageServerOptions(
        serverOptions, firstFrameTimeout, value, maxBroadcastBacklog, heartbeat);
  }

  /**
   * Returns a copy with the broadcast backlog limit set.
   *
   * @param value the new value, in bytes
   * @return the new options
   */
  public MessageServerOptions withMaxBroadcastBacklog(long value) {
    return new MessageServerOptions(
        serverOptions, firstFrameTimeout, frameTimeout, value, heartbeat);
  }

  /**
   * Returns a copy with the heartbeat of every connection set.
   *
   * @param value the heartbeat, or {@link Heartbeat#off()}
   * @return the new options
   */
  public MessageServerOptions withHeartbeat(Heartbeat value) {
    return new MessageServerOptions(
        serverOptions, firstFrameTimeout, frameTimeout, maxBroadcastBacklog, value);
  }
}
