package dev.jnet;

/**
 * Node's {@code socket.readyState}: which directions of a socket are still open.
 *
 * <p>Threading: an immutable enum, safe to use from any thread.
 */
public enum ReadyState {
  /** Connecting: not yet readable or writable. */
  OPENING,
  /** Both directions open. */
  OPEN,
  /** The local side has ended (called {@code end()}); the peer may still send. */
  READ_ONLY,
  /** The peer has ended; the local side may still write ({@code allowHalfOpen}). */
  WRITE_ONLY,
  /** Both directions finished, or the socket was destroyed. */
  CLOSED
}
