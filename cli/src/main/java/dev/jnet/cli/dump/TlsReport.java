package dev.jnet.cli.dump;

import dev.jnet.tls.TlsSocket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The lines the CLI prints about a TLS handshake: what was agreed, whether the peer is authorized
 * (and why not), and the peer certificate's subject, issuer, expiry and SHA-256 fingerprint.
 *
 * <p>Stateless.
 */
public final class TlsReport {
  private TlsReport() {}

  /**
   * Describes a finished handshake.
   *
   * @param s the socket
   * @return the lines, each starting with {@code jnet: tls}
   */
  public static List<String> handshake(TlsSocket s) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "jnet: tls "
            + s.protocol().orElse("?")
            + " "
            + s.cipher().orElse("?")
            + s.alpnProtocol().map(a -> " alpn=" + a).orElse("")
            + s.servername().map(n -> " sni=" + n).orElse("")
            + (s.isAuthorized()
                ? " authorized"
                : " NOT authorized: "
                    + s.authorizationError()
                        .map(e -> e.code() + " " + e.getMessage())
                        .orElse("no certificate")));
    s.peerCertificate().ifPresent(c -> lines.add("jnet: tls peer " + certificate(c)));
    return lines;
  }

  /**
   * Describes a certificate on one line.
   *
   * @param c the certificate
   * @return subject, issuer, expiry and fingerprint
   */
  public static String certificate(X509Certificate c) {
    return "subject=\""
        + c.getSubjectX500Principal().getName()
        + "\" issuer=\""
        + c.getIssuerX500Principal().getName()
        + "\" expires="
        + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
            c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
        + "Z sha256="
        + fingerprint(c);
  }

  private static String fingerprint(X509Certificate c) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return "?";
    }
  }
}
