package dev.jnet.internal.tls;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a peer's certificate as Node does and names the failure with OpenSSL's code: the chain
 * against the trusted authorities (the JDK's PKIX), then, for a server, the host name against its
 * alternative names ({@code checkServerIdentity}). With {@code rejectUnauthorized} the failure ends
 * the handshake; without it, the handshake goes on and the failure is kept in the handshake's
 * session, where {@code authorized} and {@code authorizationError} read it.
 *
 * <p>Threading: immutable; one instance serves every handshake of a context.
 */
public final class NodeTrust extends X509ExtendedTrustManager {
  /** The session value that holds the verdict: a {@link NetException}, absent when authorized. */
  public static final String VERDICT = "dev.jnet.tls.authorizationError";

  /** The session value set once a peer certificate was checked at all. */
  public static final String CHECKED = "dev.jnet.tls.checked";

  private final X509ExtendedTrustManager pkix;
  private final boolean reject;

  /**
   * Creates the trust manager.
   *
   * @param authorities the trusted authorities; empty for the JDK's default set
   * @param reject whether a failure ends the handshake
   */
  public NodeTrust(List<X509Certificate> authorities, boolean reject) {
    this.pkix = pkix(authorities);
    this.reject = reject;
  }

  private static X509ExtendedTrustManager pkix(List<X509Certificate> authorities) {
    try {
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      if (authorities.isEmpty()) {
        f.init((KeyStore) null);
      } else {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : authorities) {
          ks.setCertificateEntry("ca" + i++, c);
        }
        f.init(ks);
      }
      for (TrustManager t : f.getTrustManagers()) {
        if (t instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up certificate verification: " + e, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    NetException verdict = chainVerdict(chain, authType, true);
    if (verdict == null) {
      verdict = HostnameCheck.verdict(engine.getPeerHost(), chain[0]);
    }
    settle(verdict, engine.getHandshakeSession());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    settle(chainVerdict(chain, authType, false), engine.getHandshakeSession());
  }

  private void settle(NetException verdict, SSLSession session) throws CertificateException {
    if (session != null) {
      session.putValue(CHECKED, Boolean.TRUE);
      if (verdict != null) {
        session.putValue(VERDICT, verdict);
      }
    }
    if (verdict != null && reject) {
      throw new Rejected(verdict);
    }
  }

  private NetException chainVerdict(X509Certificate[] chain, String authType, boolean server) {
    if (chain == null || chain.length == 0) {
      return error(ErrorCode.UNABLE_TO_VERIFY_LEAF_SIGNATURE);
    }
    try {
      if (server) {
        pkix.checkServerTrusted(chain, authType);
      } else {
        pkix.checkClientTrusted(chain, authType);
      }
      return null;
    } catch (CertificateException e) {
      return classify(chain, e);
    }
  }

  /** Names a PKIX failure with the code OpenSSL would give for the same chain. */
  static NetException classify(X509Certificate[] chain, CertificateException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return error(ErrorCode.CERT_HAS_EXPIRED);
      }
      if (t instanceof CertificateNotYetValidException) {
        return error(ErrorCode.CERT_NOT_YET_VALID);
      }
      if (t instanceof CertPathValidatorException v) {
        if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
          return error(ErrorCode.CERT_HAS_EXPIRED);
        }
        if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          return error(ErrorCode.CERT_NOT_YET_VALID);
        }
        if (v.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
          return error(ErrorCode.CERT_SIGNATURE_FAILURE);
        }
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("extended key usage") || m.contains("keyusage") || m.contains("key usage")) {
        return error(ErrorCode.INVALID_PURPOSE);
      }
    }
    // Not trusted: which of OpenSSL's "no issuer" codes depends on the chain's shape.
    X509Certificate last = chain[chain.length - 1];
    boolean selfIssued = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
    if (selfIssued && signsItself(last)) {
      return error(
          chain.length == 1
              ? ErrorCode.DEPTH_ZERO_SELF_SIGNED_CERT
              : ErrorCode.SELF_SIGNED_CERT_IN_CHAIN);
    }
    return error(
        chain.length == 1
            ? ErrorCode.UNABLE_TO_VERIFY_LEAF_SIGNATURE
            : ErrorCode.UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  }

  private static boolean signsItself(X509Certificate c) {
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static NetException error(ErrorCode code) {
    return NetException.withMessage(code, "", "", code.description());
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  // The socket forms are never used (Netty drives an SSLEngine); they verify the same way.

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    settle(chainVerdict(chain, authType, false), null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    settle(chainVerdict(chain, authType, true), null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    settle(chainVerdict(chain, authType, false), null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    settle(chainVerdict(chain, authType, true), null);
  }

  /** A verification failure that ends the handshake; {@link TlsErrors} finds it in the causes. */
  public static final class Rejected extends CertificateException {
    private static final long serialVersionUID = 1L;

    /** The failure with its code. */
    @SuppressWarnings("serial") // never serialized
    private final NetException error;

    Rejected(NetException error) {
      super(error.getMessage());
      this.error = error;
    }

    /**
     * Returns the failure.
     *
     * @return the failure
     */
    public NetException error() {
      return error;
    }
  }

  /** Node's {@code tls.checkServerIdentity}: the host against the certificate's names. */
  static final class HostnameCheck {
    private HostnameCheck() {}

    static NetException verdict(String host, X509Certificate cert) {
      if (host == null || host.isEmpty()) {
        return null;
      }
      List<String> dns = new ArrayList<>();
      List<String> ips = new ArrayList<>();
      try {
        Collection<List<?>> alt = cert.getSubjectAlternativeNames();
        if (alt != null) {
          for (List<?> n : alt) {
            int type = (Integer) n.get(0);
            if (type == 2) {
              dns.add(String.valueOf(n.get(1)));
            } else if (type == 7) {
              ips.add(String.valueOf(n.get(1)));
            }
          }
        }
      } catch (java.security.cert.CertificateParsingException e) {
        // no names
      }
      String h = host.toLowerCase(Locale.ROOT);
      if (h.endsWith(".")) {
        h = h.substring(0, h.length() - 1);
      }
      if (CertificateMaker.isIpLiteral(h)) {
        String canonical = canonicalIp(h);
        for (String ip : ips) {
          if (canonical.equals(canonicalIp(ip))) {
            return null;
          }
        }
        return altnameError(
            "IP: " + host + " is not in the cert's list: " + String.join(", ", ips), dns, ips);
      }
      if (!dns.isEmpty()) {
        for (String d : dns) {
          if (matches(h, d.toLowerCase(Locale.ROOT))) {
            return null;
          }
        }
        return altnameError(
            "Host: " + host + ". is not in the cert's altnames: " + altnames(dns, ips), dns, ips);
      }
      String cn = commonName(cert);
      if (cn != null && matches(h, cn.toLowerCase(Locale.ROOT))) {
        return null;
      }
      return altnameError(
          "Host: " + host + ". is not cert's CN: " + (cn == null ? "undefined" : cn), dns, ips);
    }

    private static NetException altnameError(String reason, List<String> dns, List<String> ips) {
      return NetException.withMessage(
          ErrorCode.ERR_TLS_CERT_ALTNAME_INVALID,
          "",
          "",
          "Hostname/IP does not match certificate's altnames: " + reason);
    }

    private static String altnames(List<String> dns, List<String> ips) {
      List<String> all = new ArrayList<>();
      dns.forEach(d -> all.add("DNS:" + d));
      ips.forEach(i -> all.add("IP Address:" + i));
      return String.join(", ", all);
    }

    /** RFC 6125: a wildcard only as the whole left-most label, matching exactly one label. */
    static boolean matches(String host, String pattern) {
      if (pattern.endsWith(".")) {
        pattern = pattern.substring(0, pattern.length() - 1);
      }
      if (!pattern.startsWith("*.")) {
        return host.equals(pattern);
      }
      String suffix = pattern.substring(1); // ".example.com"
      if (suffix.indexOf('.', 1) < 0) {
        return false; // "*.com" matches nothing
      }
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(suffix);
    }

    private static String canonicalIp(String ip) {
      try {
        return java.net.InetAddress.getByName(ip).getHostAddress();
      } catch (java.net.UnknownHostException e) {
        return ip;
      }
    }

    private static String commonName(X509Certificate cert) {
      String dn = cert.getSubjectX500Principal().getName();
      for (String part : dn.split(",")) {
        if (part.startsWith("CN=")) {
          return part.substring(3);
        }
      }
      return null;
    }
  }
}
