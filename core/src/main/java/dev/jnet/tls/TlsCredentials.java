package dev.jnet.tls;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.internal.tls.CertificateMaker;
import dev.jnet.internal.tls.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain (leaf first): what a TLS server presents, and what a
 * client presents when the server asks for a certificate. Node's {@code key} and {@code cert}
 * options, read from PEM as OpenSSL writes it (PKCS#8, PKCS#1 RSA and SEC1 EC keys; encrypted keys
 * are refused with a clear error).
 *
 * <p>Threading: immutable, safe to share.
 *
 * @param key the private key
 * @param chain the certificates, leaf first; not empty
 */
public record TlsCredentials(PrivateKey key, List<X509Certificate> chain) {

  /**
   * Checks the credentials.
   *
   * @param key see the record
   * @param chain see the record
   */
  public TlsCredentials {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least one certificate");
    }
  }

  /**
   * Reads a key and a chain from PEM files and checks that the key belongs to the leaf.
   *
   * @param keyFile the key's file
   * @param certFile the certificates' file, leaf first
   * @return the credentials
   * @throws NetException {@code ENOENT}/{@code EACCES} for a file that cannot be read, {@code
   *     ERR_OSSL_PEM_NO_START_LINE} for a file without the expected PEM block, {@code
   *     ERR_OSSL_X509_KEY_VALUES_MISMATCH} for a key of another certificate
   */
  public static TlsCredentials fromPem(Path keyFile, Path certFile) throws NetException {
    return fromPem(read(keyFile), keyFile.toString(), read(certFile), certFile.toString());
  }

  /**
   * Reads a key and a chain from PEM text.
   *
   * @param keyPem the key
   * @param certPem the certificates, leaf first
   * @return the credentials
   * @throws NetException as {@link #fromPem(Path, Path)}
   */
  public static TlsCredentials fromPem(String keyPem, String certPem) throws NetException {
    return fromPem(keyPem, "the key", certPem, "the certificate");
  }

  private static TlsCredentials fromPem(
      String keyPem, String keyName, String certPem, String certName) throws NetException {
    PrivateKey key = Pem.privateKey(keyPem, keyName);
    List<X509Certificate> chain = Pem.certificates(certPem, certName);
    Pem.checkPair(key, chain.get(0));
    return new TlsCredentials(key, chain);
  }

  /**
   * Makes a new key and a self-signed certificate for the given names (host names or IP literals),
   * valid from an hour ago for 30 days: for debugging and tests, never for trust.
   *
   * @param names the names; the first is also the common name
   * @return the credentials
   */
  public static TlsCredentials selfSigned(String... names) {
    KeyPair keys = CertificateMaker.newKeyPair();
    X509Certificate cert = CertificateMaker.selfSigned(keys, List.of(names), 30);
    return new TlsCredentials(keys.getPrivate(), List.of(cert));
  }

  /**
   * Reads the certificates of a PEM file: the {@code ca} option of {@link TlsOptions} and {@link
   * TlsServerOptions}.
   *
   * @param file the file
   * @return the certificates
   * @throws NetException as {@link #fromPem(Path, Path)}
   */
  public static List<X509Certificate> certificates(Path file) throws NetException {
    return Pem.certificates(read(file), file.toString());
  }

  /**
   * Returns the leaf certificate.
   *
   * @return the first certificate of the chain
   */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * Returns the chain as PEM.
   *
   * @return the certificates, leaf first
   */
  public String certificatePem() {
    StringBuilder b = new StringBuilder();
    chain.forEach(c -> b.append(Pem.encode(c)));
    return b.toString();
  }

  /**
   * Returns the key as PKCS#8 PEM.
   *
   * @return the key
   */
  public String keyPem() {
    return Pem.encode(key);
  }

  @Override
  public String toString() {
    return "TlsCredentials[" + certificate().getSubjectX500Principal().getName() + "]";
  }

  private static String read(Path file) throws NetException {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw NetException.of(ErrorCode.ENOENT, "open", file.toString(), e);
    } catch (AccessDeniedException e) {
      throw NetException.of(ErrorCode.EACCES, "open", file.toString(), e);
    } catch (IOException e) {
      throw NetException.of(ErrorCode.EIO, "open", file.toString(), e);
    }
  }
}
