package dev.jnet.internal.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes X.509 certificates with the JDK's own key and signature classes: the self-signed
 * certificate of {@code --self-signed}, and the authorities, chains and faulty certificates the
 * tests need (expired, not yet valid, another host's name).
 *
 * <p>Threading: stateless; {@link Spec} is immutable.
 */
public final class CertificateMaker {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateMaker() {}

  /**
   * Returns a new EC P-256 key pair.
   *
   * @return the pair
   */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
    }
  }

  /**
   * What one certificate says and who signs it.
   *
   * @param subject the subject's common name
   * @param names the subject alternative names: host names, or IPv4/IPv6 literals
   * @param subjectKey the subject's public key
   * @param issuer the issuer's common name (the subject's own for a self-signed certificate)
   * @param issuerKey the key that signs
   * @param authority whether the certificate may sign others (basicConstraints CA)
   * @param notBefore the start of validity
   * @param notAfter the end of validity
   */
  public record Spec(
      String subject,
      List<String> names,
      PublicKey subjectKey,
      String issuer,
      PrivateKey issuerKey,
      boolean authority,
      ZonedDateTime notBefore,
      ZonedDateTime notAfter) {
    /**
     * Checks the spec.
     *
     * @param subject see the record
     * @param names see the record
     * @param subjectKey see the record
     * @param issuer see the record
     * @param issuerKey see the record
     * @param authority see the record
     * @param notBefore see the record
     * @param notAfter see the record
     */
    public Spec {
      Objects.requireNonNull(subject, "subject");
      names = List.copyOf(names);
      Objects.requireNonNull(subjectKey, "subjectKey");
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(issuerKey, "issuerKey");
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(notAfter, "notAfter");
    }
  }

  /**
   * Makes and signs a certificate.
   *
   * @param spec what it says
   * @return the certificate
   */
  public static X509Certificate make(Spec spec) {
    try {
      boolean ec = spec.issuerKey().getAlgorithm().equals("EC");
      byte[] algorithm =
          ec
              ? Der.seq(Der.oid("1.2.840.10045.4.3.2"))
              : Der.seq(Der.oid("1.2.840.113549.1.1.11"), Der.nul());
      List<byte[]> extensions = new ArrayList<>();
      extensions.add(
          extension(
              "2.5.29.19",
              true,
              spec.authority() ? Der.seq(Der.bool(true)) : Der.seq())); // basicConstraints
      // keyUsage: keyCertSign and cRLSign for an authority, digitalSignature (and keyEncipherment
      // for RSA) for a leaf
      byte[] usage =
          spec.authority() ? new byte[] {1, 0x06} : new byte[] {5, (byte) (ec ? 0x80 : 0xa0)};
      extensions.add(extension("2.5.29.15", true, Der.tlv(Der.BIT_STRING, usage)));
      if (!spec.names().isEmpty()) {
        List<byte[]> general = new ArrayList<>();
        for (String n : spec.names()) {
          general.add(generalName(n));
        }
        extensions.add(extension("2.5.29.17", false, Der.seq(general.toArray(new byte[0][]))));
      }
      byte[] tbs =
          Der.seq(
              Der.tagged(0, true, Der.integer(2)),
              Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
              algorithm,
              name(spec.issuer()),
              Der.seq(Der.time(spec.notBefore()), Der.time(spec.notAfter())),
              name(spec.subject()),
              spec.subjectKey().getEncoded(),
              Der.tagged(3, true, Der.seq(extensions.toArray(new byte[0][]))));
      Signature s = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
      s.initSign(spec.issuerKey());
      s.update(tbs);
      byte[] cert = Der.seq(tbs, algorithm, Der.bits(s.sign()));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(cert));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Makes a self-signed certificate valid for {@code names} from an hour ago for {@code days}.
   *
   * @param keys the key pair
   * @param names the names (the first is also the common name)
   * @param days how long it is valid
   * @return the certificate
   */
  public static X509Certificate selfSigned(KeyPair keys, List<String> names, int days) {
    ZonedDateTime now = ZonedDateTime.now();
    String cn = names.isEmpty() ? "jnet" : names.get(0);
    return make(
        new Spec(
            cn,
            names,
            keys.getPublic(),
            cn,
            keys.getPrivate(),
            false,
            now.minusHours(1),
            now.plusDays(days)));
  }

  private static byte[] name(String cn) {
    return Der.seq(Der.set(Der.seq(Der.oid("2.5.4.3"), Der.utf8(cn))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.seq(Der.oid(oid), Der.bool(true), Der.octets(value))
        : Der.seq(Der.oid(oid), Der.octets(value));
  }

  private static byte[] generalName(String n) {
    if (isIpLiteral(n)) {
      try {
        return Der.tagged(7, false, InetAddress.getByName(n).getAddress());
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address: " + n, e);
      }
    }
    return Der.tagged(2, false, n.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** True for an IPv4 dotted quad or an IPv6 literal (no name lookup is ever made). */
  public static boolean isIpLiteral(String n) {
    return n.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || (n.contains(":") && n.matches("[0-9a-fA-F:.]+"));
  }
}
