package dev.jnet;

/**
 * The codes a {@link NetException} carries: Node's system error names ({@code ECONNREFUSED}, ...)
 * for failures the operating system reports, and Node's {@code ERR_*} names for failures jnet
 * detects itself.
 *
 * <p>Threading: an immutable enum, safe to use from any thread.
 */
public enum ErrorCode {
  /** Nothing accepts connections at the address (TCP port closed, stale Unix socket). */
  ECONNREFUSED("connection refused"),
  /** The address (port or socket path) is already bound by someone else. */
  EADDRINUSE("address already in use"),
  /** The address is not one of this machine's. */
  EADDRNOTAVAIL("address not available"),
  /** The peer reset the connection. */
  ECONNRESET("connection reset by peer"),
  /** Wrote to a connection whose peer has closed it. */
  EPIPE("broken pipe"),
  /** The connection attempt or an operation timed out. */
  ETIMEDOUT("operation timed out"),
  /** No such file or directory (a missing socket path). */
  ENOENT("no such file or directory"),
  /** Permission denied. */
  EACCES("permission denied"),
  /** A name or path is too long for the address family. */
  ENAMETOOLONG("name too long"),
  /** The process has too many open files. */
  EMFILE("too many open files"),
  /** The host name could not be resolved. */
  ENOTFOUND("host not found"),
  /** The host cannot be reached. */
  EHOSTUNREACH("host unreachable"),
  /** The network cannot be reached. */
  ENETUNREACH("network unreachable"),
  /** An invalid argument reached the operating system. */
  EINVAL("invalid argument"),
  /** No such open descriptor ({@code fd:N}). */
  EBADF("bad file descriptor"),
  /** The descriptor is not a socket jnet can serve ({@code fd:N}). */
  ENOTSOCK("socket operation on non-socket"),
  /** The operation is not supported on this transport or platform. */
  ENOTSUP("operation not supported"),
  /**
   * A Unix socket's accept queue is full (the listener is not accepting fast enough); try again.
   */
  EAGAIN("resource temporarily unavailable"),
  /** The operation was cancelled because the socket closed first. */
  ECANCELED("operation canceled"),
  /** Any other operating-system failure. */
  EIO("input/output error"),
  /** The socket is closed (written after {@code destroy()}, or used before it had a handle). */
  ERR_SOCKET_CLOSED("Socket is closed"),
  /** The socket was destroyed before its connection was established. */
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION("Socket closed before the connection was established"),
  /** Written after {@code end()}. */
  ERR_STREAM_WRITE_AFTER_END("write after end"),
  /** The writer ignored backpressure and the write buffer reached its hard cap. */
  ERR_BUFFER_FULL("write buffer full"),
  /** {@code close()} on a server that is not listening. */
  ERR_SERVER_NOT_RUNNING("Server is not running."),
  /** {@code listen()} on a server that already listens. */
  ERR_SERVER_ALREADY_LISTEN("Listen method has been called more than once without closing."),
  /** No transport on the class path handles the endpoint's scheme. */
  ERR_NO_TRANSPORT("no transport for this endpoint"),
  /** A frame's length is larger than the configured maximum. */
  ERR_FRAME_TOO_LARGE("frame too large"),
  /** The stream ended in the middle of a frame. */
  ERR_FRAME_TRUNCATED("stream ended inside a frame"),
  /**
   * Out of memory: a listener of the connection threw {@link OutOfMemoryError}; the connection is
   * destroyed.
   */
  ENOMEM("not enough memory"),
  /**
   * A listener threw an {@link Error} other than {@link OutOfMemoryError}; the connection is
   * destroyed.
   */
  ERR_UNHANDLED_ERROR("a listener threw an error");

  private final String description;

  ErrorCode(String description) {
    this.description = description;
  }

  /**
   * Returns a short human description, such as {@code "connection refused"}.
   *
   * @return the description, never empty
   */
  public String description() {
    return description;
  }

  /**
   * Tells whether this is an operating-system code ({@code E...}) rather than a jnet one ({@code
   * ERR_...}).
   *
   * @return true for system codes
   */
  public boolean isSystemError() {
    return !name().startsWith("ERR_");
  }
}
