package dev.jnet.internal.tls;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes PEM as OpenSSL and Node do: certificates, and private keys in PKCS#8 ({@code
 * BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE
 * KEY}). Encrypted keys are refused with a clear error. Failures are {@link NetException}s with
 * OpenSSL's codes, as Node reports them.
 *
 * <p>Threading: stateless.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

  private Pem() {}

  /**
   * Reads every certificate of a PEM text.
   *
   * @param text the text
   * @param what what it is, for errors (a file name)
   * @return the certificates, at least one
   * @throws NetException {@code ERR_OSSL_PEM_NO_START_LINE} when there is none, {@code
   *     ERR_OSSL_UNSUPPORTED} when one cannot be read
   */
  public static List<X509Certificate> certificates(String text, String what) throws NetException {
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals("CERTIFICATE") && !m.group(1).equals("TRUSTED CERTIFICATE")) {
        continue;
      }
      try {
        byte[] der = base64(m.group(2), what);
        Certificate c =
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        out.add((X509Certificate) c);
      } catch (GeneralSecurityException e) {
        throw error(
            ErrorCode.ERR_OSSL_UNSUPPORTED,
            what + ": a certificate cannot be read: " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw error(
          ErrorCode.ERR_OSSL_PEM_NO_START_LINE,
          what + " holds no certificate (no -----BEGIN CERTIFICATE----- line)");
    }
    return out;
  }

  /**
   * Reads the first private key of a PEM text.
   *
   * @param text the text
   * @param what what it is, for errors
   * @return the key
   * @throws NetException {@code ERR_OSSL_PEM_NO_START_LINE} when there is none, {@code
   *     ERR_OSSL_UNSUPPORTED} for an encrypted or unknown key
   */
  public static PrivateKey privateKey(String text, String what) throws NetException {
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("ENCRYPTED PRIVATE KEY")
          || (type.endsWith("PRIVATE KEY") && m.group(2).contains("ENCRYPTED"))) {
        throw error(
            ErrorCode.ERR_OSSL_UNSUPPORTED,
            what
                + ": encrypted private keys are not supported; decrypt it first (openssl pkey -in KEY -out PLAIN)");
      }
      byte[] der;
      switch (type) {
        case "PRIVATE KEY" -> der = base64(m.group(2), what);
        case "RSA PRIVATE KEY" ->
            der =
                pkcs8(
                    Der.seq(Der.oid("1.2.840.113549.1.1.1"), Der.nul()), base64(m.group(2), what));
        case "EC PRIVATE KEY" -> der = fromSec1(base64(m.group(2), what), what);
        default -> {
          continue;
        }
      }
      for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
        try {
          return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          // not this algorithm
        }
      }
      throw error(ErrorCode.ERR_OSSL_UNSUPPORTED, what + ": a private key of an unsupported kind");
    }
    throw error(
        ErrorCode.ERR_OSSL_PEM_NO_START_LINE,
        what + " holds no private key (no -----BEGIN PRIVATE KEY----- line)");
  }

  /**
   * Checks that a private key belongs to a certificate: it signs, the certificate's key verifies.
   *
   * @param key the key
   * @param cert the certificate
   * @throws NetException {@code ERR_OSSL_X509_KEY_VALUES_MISMATCH} when they do not belong together
   */
  public static void checkPair(PrivateKey key, X509Certificate cert) throws NetException {
    PublicKey pub = cert.getPublicKey();
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (alg == null) {
      return; // nothing to check it with; the handshake will tell
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      if (v.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another kind than the certificate's: a mismatch
    }
    throw error(
        ErrorCode.ERR_OSSL_X509_KEY_VALUES_MISMATCH,
        "the private key does not belong to the certificate "
            + cert.getSubjectX500Principal().getName());
  }

  /**
   * Encodes a certificate as PEM.
   *
   * @param cert the certificate
   * @return the text
   */
  public static String encode(X509Certificate cert) {
    try {
      return block("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Encodes a private key as PKCS#8 PEM.
   *
   * @param key the key
   * @return the text
   */
  public static String encode(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] base64(String body, String what) throws NetException {
    StringBuilder b = new StringBuilder();
    for (String line : body.split("\n")) {
      if (!line.contains(":")) { // skip RFC 1421 headers
        b.append(line.trim());
      }
    }
    try {
      return Base64.getDecoder().decode(b.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw error(ErrorCode.ERR_OSSL_UNSUPPORTED, what + ": bad base64 in a PEM block");
    }
  }

  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return Der.seq(Der.integer(0), algorithm, Der.octets(key));
  }

  /** SEC1 {@code ECPrivateKey} names its curve in {@code [0]}; PKCS#8 wants it in the algorithm. */
  private static byte[] fromSec1(byte[] sec1, String what) throws NetException {
    try {
      Der.Reader r = new Der.Reader(sec1).read(Der.SEQUENCE);
      r.read(Der.INTEGER);
      r.read(Der.OCTET_STRING);
      byte[] curve = null;
      while (r.hasMore()) {
        if (r.peekTag() == 0xa0) {
          curve = r.read(0xa0).readRaw(Der.OID);
        } else {
          r.read(r.peekTag());
        }
      }
      if (curve == null) {
        throw error(
            ErrorCode.ERR_OSSL_UNSUPPORTED, what + ": an EC key that does not name its curve");
      }
      return pkcs8(Der.seq(Der.oid("1.2.840.10045.2.1"), curve), sec1);
    } catch (IllegalArgumentException e) {
      throw error(ErrorCode.ERR_OSSL_UNSUPPORTED, what + ": a malformed EC key: " + e.getMessage());
    }
  }

  private static NetException error(ErrorCode code, String message) {
    return NetException.withMessage(code, "", "", code.name() + ": " + message);
  }
}
