package dev.jnet.tls;

import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A socket whose bytes travel encrypted: Node's {@code tls.TLSSocket}. Everything of {@link Socket}
 * holds as over a plain socket (events, backpressure, half-close, timeouts); {@code end()} sends
 * TLS's {@code close_notify} before the transport's own end, and a peer's {@code close_notify} is
 * its {@code end}.
 *
 * <p>A client emits {@code connect} when the transport connects and {@code secureConnect} when the
 * handshake is done; writes made before are sent after it. A server's sockets reach its connection
 * listeners only once their handshake is done. The properties below are empty until then.
 *
 * <p>Threading: as {@link Socket}: every method may be called from any thread; events come on the
 * socket's I/O thread.
 */
public interface TlsSocket extends Socket {

  /**
   * Adds a listener of {@code secureConnect}: the handshake is done (called at once if it already
   * is, on the socket's I/O thread).
   *
   * @param listener the listener
   * @return its registration
   */
  Registration onSecureConnect(Runnable listener);

  /**
   * Returns a stage that completes with this socket when the handshake is done, or exceptionally
   * with the failure.
   *
   * @return the stage
   */
  CompletionStage<TlsSocket> secureConnected();

  /**
   * Tells whether the peer's certificate was verified: always true for a client that rejects
   * unauthorized servers (it would have failed otherwise); for a server, true when the client
   * presented a certificate that verified.
   *
   * @return Node's {@code authorized}
   */
  boolean isAuthorized();

  /**
   * Returns why the peer is not authorized: a certificate code ({@code
   * DEPTH_ZERO_SELF_SIGNED_CERT}, {@code ERR_TLS_CERT_ALTNAME_INVALID}, ...).
   *
   * @return Node's {@code authorizationError}, empty when authorized or not yet known
   */
  Optional<NetException> authorizationError();

  /**
   * Returns the peer's certificate chain, leaf first.
   *
   * @return the chain, empty if the peer presented none or the handshake is not done
   */
  List<X509Certificate> peerCertificateChain();

  /**
   * Returns the peer's certificate.
   *
   * @return the leaf, empty if none
   */
  default Optional<X509Certificate> peerCertificate() {
    List<X509Certificate> c = peerCertificateChain();
    return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
  }

  /**
   * Returns the application protocol agreed by ALPN.
   *
   * @return Node's {@code alpnProtocol}, empty when none was agreed
   */
  Optional<String> alpnProtocol();

  /**
   * Returns the protocol version agreed, such as {@code TLSv1.3}.
   *
   * @return Node's {@code getProtocol()}, empty before the handshake
   */
  Optional<String> protocol();

  /**
   * Returns the cipher suite agreed, such as {@code TLS_AES_128_GCM_SHA256}.
   *
   * @return the standard name, empty before the handshake
   */
  Optional<String> cipher();

  /**
   * Returns the SNI name: what a client asked for, or what a server was asked for.
   *
   * @return Node's {@code servername}, empty if none
   */
  Optional<String> servername();
}
