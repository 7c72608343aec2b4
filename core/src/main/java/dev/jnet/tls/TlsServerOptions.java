package dev.jnet.tls;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A TLS server's options, as Node's {@code tls.createServer} takes them: the credentials it
 * presents, more credentials by SNI name, client certificates, ALPN, protocol versions and the
 * handshake timeout. {@link TlsServer#setSecureContext} swaps them on a running server (certificate
 * and key reload without a restart).
 *
 * <p>Threading: an immutable value, safe to share.
 *
 * @param credentials the key and certificate chain presented by default
 * @param sniCredentials credentials by SNI host name, exact ({@code api.example.com}) or a
 *     left-most wildcard ({@code *.example.com}), as Node's {@code server.addContext}; a client
 *     that asks for another name, or none, gets {@code credentials}
 * @param requestCert whether to ask clients for a certificate (default false)
 * @param rejectUnauthorized with {@code requestCert}, whether a client without a valid certificate
 *     fails the handshake (default true, as Node)
 * @param ca the authorities client certificates are verified against; empty for the JDK's set
 * @param alpnProtocols the application protocols the server speaks, preferred first; a client that
 *     offers none of them fails with {@code no_application_protocol}; default none (ALPN off)
 * @param minVersion the oldest protocol version allowed: {@code TLSv1.2} (default) or {@code
 *     TLSv1.3}
 * @param maxVersion the newest protocol version allowed (default {@code TLSv1.3})
 * @param handshakeTimeout how long a client may take to complete its handshake before it is dropped
 *     with {@code ERR_TLS_HANDSHAKE_TIMEOUT} (default 120 s, as Node)
 */
public record TlsServerOptions(
    TlsCredentials credentials,
    Map<String, TlsCredentials> sniCredentials,
    boolean requestCert,
    boolean rejectUnauthorized,
    List<X509Certificate> ca,
    List<String> alpnProtocols,
    String minVersion,
    String maxVersion,
    Duration handshakeTimeout) {

  /**
   * Checks the options.
   *
   * @param credentials see the record
   * @param sniCredentials see the record
   * @param requestCert see the record
   * @param rejectUnauthorized see the record
   * @param ca see the record
   * @param alpnProtocols see the record
   * @param minVersion see the record
   * @param maxVersion see the record
   * @param handshakeTimeout see the record
   */
  public TlsServerOptions {
    Objects.requireNonNull(credentials, "credentials");
    sniCredentials = Map.copyOf(sniCredentials);
    for (String name : sniCredentials.keySet()) {
      if (name.isEmpty()
          || name.indexOf('*', 1) >= 0
          || (name.startsWith("*") && !name.startsWith("*."))) {
        throw new IllegalArgumentException(
            "an SNI name is a host name or *.suffix with the wildcard alone on the left: " + name);
      }
    }
    ca = List.copyOf(ca);
    alpnProtocols = checkAlpn(alpnProtocols);
    checkVersions(minVersion, maxVersion);
    checkTimeout(handshakeTimeout);
  }

  /**
   * Returns the defaults with these credentials.
   *
   * @param credentials the key and chain
   * @return the options
   */
  public static TlsServerOptions of(TlsCredentials credentials) {
    return new TlsServerOptions(
        credentials,
        Map.of(),
        false,
        true,
        List.of(),
        List.of(),
        "TLSv1.2",
        "TLSv1.3",
        Duration.ofSeconds(120));
  }

  /**
   * Returns a copy that presents {@code value} to clients asking for {@code hostname} (SNI).
   *
   * @param hostname an exact name or {@code *.suffix}
   * @param value the credentials
   * @return the copy
   */
  public TlsServerOptions withSniCredentials(String hostname, TlsCredentials value) {
    Map<String, TlsCredentials> m = new LinkedHashMap<>(sniCredentials);
    m.put(hostname, value);
    return new TlsServerOptions(
        credentials,
        m,
        requestCert,
        rejectUnauthorized,
        ca,
        alpnProtocols,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy that asks clients for a certificate and verifies it against {@code authorities}.
   *
   * @param reject whether a client without a valid certificate fails the handshake
   * @param authorities the authorities; empty for the JDK's set
   * @return the copy
   */
  public TlsServerOptions withClientCertificates(
      boolean reject, List<X509Certificate> authorities) {
    return new TlsServerOptions(
        credentials,
        sniCredentials,
        true,
        reject,
        authorities,
        alpnProtocols,
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy that speaks these application protocols (ALPN), preferred first.
   *
   * @param protocols the names
   * @return the copy
   */
  public TlsServerOptions withAlpnProtocols(String... protocols) {
    return new TlsServerOptions(
        credentials,
        sniCredentials,
        requestCert,
        rejectUnauthorized,
        ca,
        List.of(protocols),
        minVersion,
        maxVersion,
        handshakeTimeout);
  }

  /**
   * Returns a copy with these protocol versions allowed.
   *
   * @param min {@code TLSv1.2} or {@code TLSv1.3}
   * @param max {@code TLSv1.2} or {@code TLSv1.3}
   * @return the copy
   */
  public TlsServerOptions withVersions(String min, String max) {
    return new TlsServerOptions(
        credentials,
        sniCredentials,
        requestCert,
        rejectUnauthorized,
        ca,
        alpnProtocols,
        min,
        max,
        handshakeTimeout);
  }

  /**
   * Returns a copy with this handshake timeout.
   *
   * @param value the timeout, positive
   * @return the copy
   */
  public TlsServerOptions withHandshakeTimeout(Duration value) {
    return new TlsServerOptions(
        credentials,
        sniCredentials,
        requestCert,
        rejectUnauthorized,
        ca,
        alpnProtocols,
        minVersion,
        maxVersion,
        value);
  }

  static List<String> checkAlpn(List<String> protocols) {
    List<String> copy = List.copyOf(protocols);
    for (String p : copy) {
      int n = p.getBytes(StandardCharsets.UTF_8).length;
      if (n == 0 || n > 255) {
        throw new IllegalArgumentException("an ALPN protocol name has 1 to 255 bytes: '" + p + "'");
      }
    }
    return copy;
  }

  static void checkVersions(String min, String max) {
    int lo = version(min, "minVersion");
    int hi = version(max, "maxVersion");
    if (lo > hi) {
      throw new IllegalArgumentException("minVersion " + min + " is newer than maxVersion " + max);
    }
  }

  private static int version(String v, String name) {
    Objects.requireNonNull(v, name);
    return switch (v) {
      case "TLSv1.2" -> 2;
      case "TLSv1.3" -> 3;
      default ->
          throw new IllegalArgumentException(
              name + " must be TLSv1.2 or TLSv1.3 (older versions are not offered): " + v);
    };
  }

  static void checkTimeout(Duration d) {
    Objects.requireNonNull(d, "handshakeTimeout");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + d);
    }
  }
}
