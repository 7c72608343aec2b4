package dev.jnet;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Options of a client socket ({@link Net#createConnection(Endpoint, SocketOptions)}); immutable,
 * built from {@link #defaults()} with {@code withX} methods.
 *
 * <p>Threading: an immutable value, safe to share between threads.
 *
 * @param allowHalfOpen keep the write side open after the peer ends (Node's {@code allowHalfOpen});
 *     default false
 * @param noDelay disable Nagle's algorithm (TCP_NODELAY); default false, as in Node
 * @param keepAlive enable TCP keep-alive; default false
 * @param keepAliveInitialDelay idle time before the first keep-alive probe (whole seconds); default
 *     zero (the OS's)
 * @param highWaterMark buffered bytes at which {@code write} starts returning false; default 64 KiB
 * @param maxBufferedBytes the hard cap of the write buffer ({@code ERR_BUFFER_FULL} beyond it);
 *     default 64 MiB
 * @param timeout the idle timeout (Node's {@code setTimeout}); zero disables; default zero
 * @param connectTimeout how long a connection attempt may take before {@code ETIMEDOUT}; default 30
 *     s
 * @param peerUid the uid the server must run as ({@link #withPeerUid(int)}); default empty (not
 *     checked)
 * @param peerGid the gid the server must run as ({@link #withPeerGid(int)}); default empty (not
 *     checked)
 */
public record SocketOptions(
    boolean allowHalfOpen,
    boolean noDelay,
    boolean keepAlive,
    Duration keepAliveInitialDelay,
    int highWaterMark,
    long maxBufferedBytes,
    Duration timeout,
    Duration connectTimeout,
    OptionalInt peerUid,
    OptionalInt peerGid) {

  private static final SocketOptions DEFAULTS =
      new SocketOptions(
          false,
          false,
          false,
          Duration.ZERO,
          64 * 1024,
          64L << 20,
          Duration.ZERO,
          Duration.ofSeconds(30),
          OptionalInt.empty(),
          OptionalInt.empty());

  /**
   * Validates the options.
   *
   * @param allowHalfOpen see the record description
   * @param noDelay see the record description
   * @param keepAlive see the record description
   * @param keepAliveInitialDelay see the record description
   * @param highWaterMark see the record description
   * @param maxBufferedBytes see the record description
   * @param timeout see the record description
   * @param connectTimeout see the record description
   * @param peerUid see the record description
   * @param peerGid see the record description
   */
  public SocketOptions {
    Objects.requireNonNull(keepAliveInitialDelay, "keepAliveInitialDelay");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    requireId(Objects.requireNonNull(peerUid, "peerUid"), "peerUid");
    requireId(Objects.requireNonNull(peerGid, "peerGid"), "peerGid");
    requireNonNegative(keepAliveInitialDelay, "keepAliveInitialDelay");
    requireNonNegative(timeout, "timeout");
    requireNonNegative(connectTimeout, "connectTimeout");
    if (highWaterMark < 0) {
      throw new IllegalArgumentException("highWaterMark must be >= 0: " + highWaterMark);
    }
    if (maxBufferedBytes < highWaterMark) {
      throw new IllegalArgumentException(
          "maxBufferedBytes must be >= highWaterMark: " + maxBufferedBytes);
    }
  }

  private static void requireId(OptionalInt id, String name) {
    if (id.isPresent() && id.getAsInt() < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + id.getAsInt());
    }
  }

  static void requireNonNegative(Duration d, String name) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }

  /**
   * Returns Node's defaults (with a 64 KiB high-water mark, as in Node 22).
   *
   * @return the default options
   */
  public static SocketOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with {@code allowHalfOpen} set.
   *
   * @param value the new value
   * @return the new options
   */
  public SocketOptions withAllowHalfOpen(boolean value) {
    return with(c -> c.allowHalfOpen = value);
  }

  /**
   * Returns a copy with {@code noDelay} set.
   *
   * @param value the new value
   * @return the new options
   */
  public SocketOptions withNoDelay(boolean value) {
    return with(c -> c.noDelay = value);
  }

  /**
   * Returns a copy with keep-alive set.
   *
   * @param enable whether to send keep-alive probes
   * @param initialDelay the idle time before the first probe
   * @return the new options
   */
  public SocketOptions withKeepAlive(boolean enable, Duration initialDelay) {
    return with(
        c -> {
          c.keepAlive = enable;
          c.keepAliveInitialDelay = initialDelay;
        });
  }

  /**
   * Returns a copy with {@code highWaterMark} set.
   *
   * @param bytes the new value
   * @return the new options
   */
  public SocketOptions withHighWaterMark(int bytes) {
    return with(
        c -> {
          c.highWaterMark = bytes;
          c.maxBufferedBytes = Math.max(maxBufferedBytes, bytes);
        });
  }

  /**
   * Returns a copy with {@code maxBufferedBytes} set.
   *
   * @param bytes the new value
   * @return the new options
   */
  public SocketOptions withMaxBufferedBytes(long bytes) {
    return with(c -> c.maxBufferedBytes = bytes);
  }

  /**
   * Returns a copy with the idle {@code timeout} set.
   *
   * @param value the new value; zero disables
   * @return the new options
   */
  public SocketOptions withTimeout(Duration value) {
    return with(c -> c.timeout = value);
  }

  /**
   * Returns a copy with {@code connectTimeout} set.
   *
   * @param value the new value
   * @return the new options
   */
  public SocketOptions withConnectTimeout(Duration value) {
    return with(c -> c.connectTimeout = value);
  }

  /**
   * Returns a copy that requires the server to run as a user: the connection fails with {@code
   * EACCES}, its message naming the expected and the actual uid, before a byte is written
   * (including bytes written before the connect completed). Unix sockets (path and abstract names)
   * check the peer's {@code SO_PEERCRED}, which needs the epoll engine; {@code pipe:} checks the
   * owner of the pipe's directory and well-known FIFO before it writes anything. Where the peer's
   * credentials cannot be known (TCP, Unix sockets under NIO, {@code fd:}), the connect fails with
   * {@code ENOTSUP} before any connection is attempted. For an abstract Unix name this check is the
   * only protection: anyone can bind the name first.
   *
   * <p>Without it a {@code pipe:} client requires the server to be its own uid; a Unix socket
   * client checks nothing (the socket file's permissions decide who may listen there).
   *
   * @param uid the uid, 0 or more
   * @return the new options
   */
  public SocketOptions withPeerUid(int uid) {
    return with(c -> c.peerUid = OptionalInt.of(uid));
  }

  /**
   * Returns a copy that requires the server to run with a group id (the gid of {@code SO_PEERCRED},
   * or the group of a {@code pipe:} server's well-known FIFO); enforced as {@link
   * #withPeerUid(int)}.
   *
   * @param gid the gid, 0 or more
   * @return the new options
   */
  public SocketOptions withPeerGid(int gid) {
    return with(c -> c.peerGid = OptionalInt.of(gid));
  }

  /**
   * Returns a copy with the changes {@code change} makes; the canonical constructor validates it.
   */
  private SocketOptions with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a copy being changed, one wither at a time. */
  private static final class Copy {
    private boolean allowHalfOpen;
    private boolean noDelay;
    private boolean keepAlive;
    private Duration keepAliveInitialDelay;
    private int highWaterMark;
    private long maxBufferedBytes;
    private Duration timeout;
    private Duration connectTimeout;
    private OptionalInt peerUid;
    private OptionalInt peerGid;

    Copy(SocketOptions o) {
      this.allowHalfOpen = o.allowHalfOpen;
      this.noDelay = o.noDelay;
      this.keepAlive = o.keepAlive;
      this.keepAliveInitialDelay = o.keepAliveInitialDelay;
      this.highWaterMark = o.highWaterMark;
      this.maxBufferedBytes = o.maxBufferedBytes;
      this.timeout = o.timeout;
      this.connectTimeout = o.connectTimeout;
      this.peerUid = o.peerUid;
      this.peerGid = o.peerGid;
    }

    SocketOptions build() {
      return new SocketOptions(
          allowHalfOpen,
          noDelay,
          keepAlive,
          keepAliveInitialDelay,
          highWaterMark,
          maxBufferedBytes,
          timeout,
          connectTimeout,
          peerUid,
          peerGid);
    }
  }
}
