package dev.jnet.spi;

/**
 * What a transport can do under the current engine. Conformance tests that need a capability are
 * skipped, with the reason, where it is missing.
 *
 * <p>Threading: an immutable enum, safe to use from any thread.
 */
public enum Capability {
  /** Either side can end its write direction while still reading (a FIN). */
  HALF_CLOSE,
  /** {@code resetAndDestroy()} sends a reset (TCP RST) that the peer sees as {@code ECONNRESET}. */
  RESET,
  /** A connect attempt can time out at the transport ({@code ETIMEDOUT}). */
  CONNECT_TIMEOUT,
  /** Nagle and keep-alive options apply. */
  TCP_OPTIONS,
  /** {@code peerCredentials()} reports the peer's pid, uid and gid. */
  PEER_CREDENTIALS,
  /** {@code fd:N} endpoints can listen on or wrap an inherited socket descriptor. */
  INHERITED_FD,
  /** Open file descriptors can be passed alongside data. */
  FD_PASSING
}
