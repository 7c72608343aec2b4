package dev.jnet.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS client's options, as Node's {@code tls.connect} takes them. The defaults are safe: the
 * server's certificate is verified against the JDK's trusted authorities and its names against the
 * host connected to, TLS 1.2 is the oldest version allowed, and nothing falls back to plain text.
 *
 * <p>Threading: an immutable value, safe to share.
 *
 * @param ca the authorities to trust instead of the JDK's default set (Node's {@code ca}); empty
 *     for the default set
 * @param credentials the key and certificate to present when the server asks for one (Node's {@code
 *     key} and {@code cert}); default none
 * @param servername the name to send as SNI and to verify the server's certificate against; empty
 *     for the host of a {@code tcp://} endpoint (no SNI for an IP address) and {@code localhost}
 *     for other transports, as Node
 * @param alpnProtocols the application protocols to offer, in order of preference (ALPN); default
 *     none
 * @param rejectUnauthorized whether a certificate that fails verification ends the handshake
 *     (default true); when false the connection goes on and {@link TlsSocket#authorizationError()}
 *     says why it is not authorized
 * @param minVersion the oldest protocol version allowed: {@code TLSv1.2} (default) or {@code
 *     TLSv1.3}
 * @param maxVersion the newest protocol version allowed: {@code TLSv1.3} (default) or {@code
 *     TLSv1.2}
 * @param handshakeTimeout how long the handshake may take before the socket fails with {@code
 *     ERR_TLS_HANDSHAKE_TIMEOUT} (default 120 s, as Node's servers)
 */
public record TlsOptions(
    List<X509Certificate> ca,
    Optional<TlsCredentials> credentials,
    Optional<String> servername,
    List<String> alpnProtocols,
    boolean rejectUnauthorized,
    String minVersion,
    String maxVersion,
    Duration handshakeTimeout) {

  private static final TlsOptions DEFAULTS =
      new TlsOptions(
          List.of(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          true,
          "TLSv1.2",
          "TLSv1.3",
          Duration.ofSeconds(120));

  /**
   * Checks the options.
   *
   * @param ca see the record
   * @param credentials see the record
   * @param servername see the record
   * @param alpnProtocols see the record
   * @param rejectUnauthorized see the record
   * @param minVersion see the record
   * @param maxVersion see the record
   * @param handshakeTimeout see the record
   */
  public TlsOptions {
    ca = List.copyOf(ca);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(servername, "servername");
    alpnProtocols = TlsServerOptions.checkAlpn(alpnProtocols);
    TlsServerOptions.checkVersions(minVersion, maxVersion);
    TlsServerOptions.checkTimeout(handshakeTimeout);
  }

  /**
   * Returns the defaults: verify everything, TLS 1.2 to 1.3.
   *
   * @return the defaults
   */
  public static TlsOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy that trusts these authorities instead of the JDK's set.
   *
   * @param authorities the certificates
   * @return the copy
   */
  public TlsOptions withCa(List<X509Certificate> authorities) {
    return new TlsOptions(
        authorities,
        credentials,
        servername,
        alpnProtocols,
        rejectUnauthorized,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy that presents these credentials when the server asks for a certificate.
   *
   * @param value the key and chain
   * @return the copy
   */
  public TlsOptions withCredentials(TlsCredentials value) {
    return new TlsOptions(
        ca,
        Optional.of(value),
        servername,
        alpnProtocols,
        rejectUnauthorized,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy that sends this SNI name and verifies the certificate against it.
   *
   * @param name the host name
   * @return the copy
   */
  public TlsOptions withServername(String name) {
    return new TlsOptions(
        ca,
        credentials,
        Optional.of(name),
        alpnProtocols,
        rejectUnauthorized,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy that offers these application protocols (ALPN), preferred first.
   *
   * @param protocols the protocol names, such as {@code h2} and {@code http/1.1}
   * @return the copy
   */
  public TlsOptions withAlpnProtocols(String... protocols) {
    return new TlsOptions(
        ca,
        credentials,
        servername,
        List.of(protocols),
        rejectUnauthorized,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy that does or does not end the handshake when verification fails. Turning it off
   * gives up the protection against an attacker in the middle: use it for debugging.
   *
   * @param value whether to reject
   * @return the copy
   */
  public TlsOptions withRejectUnauthorized(boolean value) {
    return new TlsOptions(
        ca,
        credentials,
        servername,
        alpnProtocols,
        value,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy with these protocol versions allowed.
   *
   * @param min {@code TLSv1.2} or {@code TLSv1.3}
   * @param max {@code TLSv1.2} or {@code TLSv1.3}, not older than {@code min}
   * @return the copy
   */
  public TlsOptions withVersions(String min, String max) {
    return new TlsOptions(
        ca, credentials, servername, alpnProtocols, rejectUnauthorized, min, max, handshakeTimeout);
  }

  /**
   * Returns a copy with this handshake timeout.
   *
   * @param value the timeout, positive
   * @return the copy
   */
  public TlsOptions withHandshakeTimeout(Duration value) {
    return new TlsOptions(
        ca,
        credentials,
        servername,
        alpnProtocols,
        rejectUnauthorized,
        minVersion,
        maxVersion,
        value);
  }
}
