package dev.jnet.tls;

import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Server;
import java.util.function.Consumer;

/**
 * A server whose connections are TLS: Node's {@code tls.Server}. Connection listeners receive
 * {@link TlsSocket}s once their handshake is done; a client whose handshake fails (a bad
 * certificate, garbage, a timeout, a peer gone) never reaches them and is reported to {@link
 * #onTlsClientError} instead, and the server serves on.
 *
 * <p>Threading: as {@link Server}: every method may be called from any thread.
 */
public interface TlsServer extends Server {

  /**
   * Adds a listener of handshakes that failed (Node's {@code tlsClientError}). The exception's
   * {@link NetException#endpoint()} is the client's address where known.
   *
   * @param listener the listener
   * @return its registration
   */
  Registration onTlsClientError(Consumer<NetException> listener);

  /**
   * Adds a connection listener that receives the socket as a {@link TlsSocket} (Node's {@code
   * secureConnection}).
   *
   * @param listener the listener
   * @return its registration
   */
  Registration onSecureConnection(Consumer<TlsSocket> listener);

  /**
   * Replaces the credentials and settings for handshakes that start from now on (Node's {@code
   * setSecureContext}): reload a renewed certificate without a restart. Established connections are
   * not affected.
   *
   * @param options the new options
   */
  void setSecureContext(TlsServerOptions options);
}
