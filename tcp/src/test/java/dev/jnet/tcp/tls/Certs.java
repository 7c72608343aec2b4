package dev.jnet.tcp.tls;

import dev.jnet.internal.tls.CertificateMaker;
import dev.jnet.tls.TlsCredentials;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.List;

/** Certificates for the TLS tests: an authority, leaves it signs, and faulty ones. */
final class Certs {
  final KeyPair caKeys = CertificateMaker.newKeyPair();
  final X509Certificate ca;

  Certs(String name) {
    ZonedDateTime now = ZonedDateTime.now();
    ca =
        CertificateMaker.make(
            new CertificateMaker.Spec(
                name,
                List.of(),
                caKeys.getPublic(),
                name,
                caKeys.getPrivate(),
                true,
                now.minusDays(1),
                now.plusDays(30)));
  }

  /** A leaf signed by this authority, valid now. */
  TlsCredentials leaf(String... names) {
    ZonedDateTime now = ZonedDateTime.now();
    return leaf(now.minusHours(1), now.plusDays(1), names);
  }

  /** A leaf signed by this authority, valid between the two times. */
  TlsCredentials leaf(ZonedDateTime from, ZonedDateTime to, String... names) {
    KeyPair k = CertificateMaker.newKeyPair();
    X509Certificate c =
        CertificateMaker.make(
            new CertificateMaker.Spec(
                names[0],
                List.of(names),
                k.getPublic(),
                ca.getSubjectX500Principal().getName().substring(3),
                caKeys.getPrivate(),
                false,
                from,
                to));
    return new TlsCredentials(k.getPrivate(), List.of(c));
  }

  /** A leaf with the authority in its chain. */
  TlsCredentials leafWithChain(String... names) {
    TlsCredentials l = leaf(names);
    return new TlsCredentials(l.key(), List.of(l.certificate(), ca));
  }
}
