package dev.jnet;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Options of a server ({@link Net#createServer(ServerOptions, java.util.function.Consumer)}) and of
 * the sockets it accepts; immutable, built from {@link #defaults()} with {@code withX} methods.
 *
 * <p>Threading: an immutable value, safe to share between threads.
 *
 * @param allowHalfOpen accepted sockets keep their write side open after the peer ends; default
 *     false
 * @param pauseOnConnect accepted sockets arrive paused (nothing read until {@code resume()});
 *     default false
 * @param noDelay accepted sockets disable Nagle's algorithm; default false
 * @param keepAlive accepted sockets send TCP keep-alive probes; default false
 * @param keepAliveInitialDelay idle time before the first keep-alive probe; default zero (the OS's)
 * @param highWaterMark the accepted sockets' high-water mark; default 64 KiB
 * @param maxBufferedBytes the accepted sockets' hard write-buffer cap; default 64 MiB
 * @param backlog the listen queue length; default 511, as in Node
 * @param maxConnections connections beyond this many are closed at once; default unlimited ({@link
 *     Integer#MAX_VALUE}); 0 drops every connection (Node 22)
 * @param mode the permission bits of a Unix socket file; default 0600
 * @param group the group that owns a Unix socket file, empty for the process's own
 * @param allowedUids Unix peers admitted by user id ({@link #ANY_ID} admits all); empty: no uid
 *     rule
 * @param allowedGids Unix peers admitted by group id; empty: no gid rule. With both sets empty, a
 *     server on an abstract name admits only its own uid (no file permission protects it)
 * @param authorizer a custom check run on every accepted socket before {@code connection}; default
 *     admits all
 */
public record ServerOptions(
    boolean allowHalfOpen,
    boolean pauseOnConnect,
    boolean noDelay,
    boolean keepAlive,
    Duration keepAliveInitialDelay,
    int highWaterMark,
    long maxBufferedBytes,
    int backlog,
    int maxConnections,
    int mode,
    String group,
    Set<Integer> allowedUids,
    Set<Integer> allowedGids,
    Authorizer authorizer) {

  /** In {@link #allowedUids()} or {@link #allowedGids()}: admits every id. */
  public static final int ANY_ID = -1;

  private static final ServerOptions DEFAULTS =
      new ServerOptions(
          false,
          false,
          false,
          false,
          Duration.ZERO,
          64 * 1024,
          64L << 20,
          511,
          Integer.MAX_VALUE,
          0600,
          "",
          Set.of(),
          Set.of(),
          Authorizer.ALLOW_ALL);

  /**
   * Validates the options.
   *
   * @param allowHalfOpen see the record description
   * @param pauseOnConnect see the record description
   * @param noDelay see the record description
   * @param keepAlive see the record description
   * @param keepAliveInitialDelay see the record description
   * @param highWaterMark see the record description
   * @param maxBufferedBytes see the record description
   * @param backlog see the record description
   * @param maxConnections see the record description
   * @param mode see the record description
   * @param group see the record description
   * @param allowedUids see the record description
   * @param allowedGids see the record description
   * @param authorizer see the record description
   */
  public ServerOptions {
    Objects.requireNonNull(keepAliveInitialDelay, "keepAliveInitialDelay");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(authorizer, "authorizer");
    allowedUids = Set.copyOf(allowedUids);
    allowedGids = Set.copyOf(allowedGids);
    SocketOptions.requireNonNegative(keepAliveInitialDelay, "keepAliveInitialDelay");
    if (highWaterMark < 0) {
      throw new IllegalArgumentException("highWaterMark must be >= 0: " + highWaterMark);
    }
    if (maxBufferedBytes < highWaterMark) {
      throw new IllegalArgumentException(
          "maxBufferedBytes must be >= highWaterMark: " + maxBufferedBytes);
    }
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException("maxConnections must be >= 0: " + maxConnections);
    }
    if ((mode & ~0777) != 0) {
      throw new IllegalArgumentException(
          "mode must be within 0777: " + Integer.toOctalString(mode));
    }
  }

  /**
   * Returns the defaults.
   *
   * @return the default options
   */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with allowHalfOpen set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withAllowHalfOpen(boolean value) {
    return with(c -> c.allowHalfOpen = value);
  }

  /**
   * Returns a copy with pauseOnConnect set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withPauseOnConnect(boolean value) {
    return with(c -> c.pauseOnConnect = value);
  }

  /**
   * Returns a copy with noDelay set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withNoDelay(boolean value) {
    return with(c -> c.noDelay = value);
  }

  /**
   * Returns a copy with keep-alive set.
   *
   * @param enable the new value
   * @param initialDelay the new value
   * @return the new options
   */
  public ServerOptions withKeepAlive(boolean enable, Duration initialDelay) {
    return with(
        c -> {
          c.keepAlive = enable;
          c.keepAliveInitialDelay = initialDelay;
        });
  }

  /**
   * Returns a copy with highWaterMark set.
   *
   * @param bytes the new value
   * @return the new options
   */
  public ServerOptions withHighWaterMark(int bytes) {
    return with(
        c -> {
          c.highWaterMark = bytes;
          c.maxBufferedBytes = Math.max(maxBufferedBytes, bytes);
        });
  }

  /**
   * Returns a copy with maxBufferedBytes set.
   *
   * @param bytes the new value
   * @return the new options
   */
  public ServerOptions withMaxBufferedBytes(long bytes) {
    return with(c -> c.maxBufferedBytes = bytes);
  }

  /**
   * Returns a copy with backlog set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withBacklog(int value) {
    return with(c -> c.backlog = value);
  }

  /**
   * Returns a copy with maxConnections set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withMaxConnections(int value) {
    return with(c -> c.maxConnections = value);
  }

  /**
   * Returns a copy with the Unix socket file's mode (such as {@code 0660}) set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withMode(int value) {
    return with(c -> c.mode = value);
  }

  /**
   * Returns a copy with the Unix socket file's group set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withGroup(String value) {
    return with(c -> c.group = value);
  }

  /**
   * Returns a copy with the admitted peer user ids set.
   *
   * @param uids the new value
   * @return the new options
   */
  public ServerOptions withAllowedUids(Set<Integer> uids) {
    return with(c -> c.allowedUids = uids);
  }

  /**
   * Returns a copy with the admitted peer group ids set.
   *
   * @param gids the new value
   * @return the new options
   */
  public ServerOptions withAllowedGids(Set<Integer> gids) {
    return with(c -> c.allowedGids = gids);
  }

  /**
   * Returns a copy with the authorizer set.
   *
   * @param value the new value
   * @return the new options
   */
  public ServerOptions withAuthorizer(Authorizer value) {
    return with(c -> c.authorizer = value);
  }

  /**
   * Returns the options an accepted socket gets from this server.
   *
   * @return the socket options
   */
  public SocketOptions socketOptions() {
    return SocketOptions.defaults()
        .withAllowHalfOpen(allowHalfOpen)
        .withNoDelay(noDelay)
        .withKeepAlive(keepAlive, keepAliveInitialDelay)
        .withHighWaterMark(highWaterMark)
        .withMaxBufferedBytes(maxBufferedBytes);
  }

  /**
   * Returns a copy with the changes {@code change} makes; the canonical constructor validates it.
   */
  private ServerOptions with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a copy being changed, one wither at a time. */
  private static final class Copy {
    private boolean allowHalfOpen;
    private boolean pauseOnConnect;
    private boolean noDelay;
    private boolean keepAlive;
    private Duration keepAliveInitialDelay;
    private int highWaterMark;
    private long maxBufferedBytes;
    private int backlog;
    private int maxConnections;
    private int mode;
    private String group;
    private Set<Integer> allowedUids;
    private Set<Integer> allowedGids;
    private Authorizer authorizer;

    Copy(ServerOptions o) {
      this.allowHalfOpen = o.allowHalfOpen;
      this.pauseOnConnect = o.pauseOnConnect;
      this.noDelay = o.noDelay;
      this.keepAlive = o.keepAlive;
      this.keepAliveInitialDelay = o.keepAliveInitialDelay;
      this.highWaterMark = o.highWaterMark;
      this.maxBufferedBytes = o.maxBufferedBytes;
      this.backlog = o.backlog;
      this.maxConnections = o.maxConnections;
      this.mode = o.mode;
      this.group = o.group;
      this.allowedUids = o.allowedUids;
      this.allowedGids = o.allowedGids;
      this.authorizer = o.authorizer;
    }

    ServerOptions build() {
      return new ServerOptions(
          allowHalfOpen,
          pauseOnConnect,
          noDelay,
          keepAlive,
          keepAliveInitialDelay,
          highWaterMark,
          maxBufferedBytes,
          backlog,
          maxConnections,
          mode,
          group,
          allowedUids,
          allowedGids,
          authorizer);
    }
  }
}
