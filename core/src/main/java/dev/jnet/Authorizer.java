package dev.jnet;

/**
 * Decides, before the {@code connection} event, whether a server admits an accepted connection. It
 * sees the socket before anything has been read from it ({@link Socket#remoteAddress()}, {@link
 * Socket#peerCredentials()}); a rejected socket is closed and none of its data ever reaches the
 * application.
 *
 * <p>Threading: called on the accepted socket's I/O thread; it must not block.
 */
@FunctionalInterface
public interface Authorizer {
  /** Admits every connection. */
  Authorizer ALLOW_ALL = socket -> true;

  /**
   * Decides.
   *
   * @param socket the accepted socket, not yet delivered to anyone
   * @return true to admit it
   */
  boolean permits(Socket socket);
}
