package dev.jnet.cli;

import dev.jnet.NetException;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The TLS options of the CLI, as ncat's {@code --ssl} and socat's {@code OPENSSL:} give them: a
 * client's ({@link Client}: {@code connect}) and a server's ({@link Server}: {@code echo}, {@code
 * listen}). Verification is on unless {@code --insecure} says otherwise.
 *
 * <p>Instances are filled in by picocli on the command's thread.
 */
final class TlsFlags {
  private TlsFlags() {}

  /** A TLS server's options, or null; picocli's usage error for a bad combination. */
  static dev.jnet.tls.TlsServerOptions serverTls(TlsFlags.Server flags, picocli.CommandLine cl)
      throws dev.jnet.NetException {
    try {
      return flags.options().orElse(null);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  /** A client's TLS options. */
  static final class Client {
    @Option(
        names = "--tls",
        description = "Speak TLS: verify the server's certificate and name (see --ca, --insecure).")
    boolean tls;

    @Option(
        names = "--ca",
        paramLabel = "FILE",
        description =
            "Trust the certificates of this PEM file instead of the JDK's set (implies --tls).")
    Path ca;

    @Option(
        names = "--insecure",
        description =
            "Go on when the server's certificate does not verify; say why on stderr (implies --tls).")
    boolean insecure;

    @Option(
        names = "--servername",
        paramLabel = "NAME",
        description = "Send NAME as SNI and verify the certificate against it (implies --tls).")
    String servername;

    @Option(
        names = "--alpn",
        paramLabel = "PROTOCOLS",
        split = ",",
        description =
            "Offer these application protocols, preferred first: h2,http/1.1 (implies --tls).")
    List<String> alpn;

    @Option(
        names = "--cert",
        paramLabel = "FILE",
        description =
            "Present this PEM certificate chain when the server asks for one (with --key).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key of --cert (PEM).")
    Path key;

    /** The TLS options, or empty for plain text. */
    Optional<TlsOptions> options() throws NetException {
      boolean on =
          tls || ca != null || insecure || servername != null || alpn != null || cert != null;
      if (!on) {
        return Optional.empty();
      }
      TlsOptions o = TlsOptions.defaults().withRejectUnauthorized(!insecure);
      if (ca != null) {
        o = o.withCa(TlsCredentials.certificates(ca));
      }
      if (servername != null) {
        o = o.withServername(servername);
      }
      if (alpn != null) {
        o = o.withAlpnProtocols(alpn.toArray(new String[0]));
      }
      if ((cert == null) != (key == null)) {
        throw new IllegalArgumentException("--cert and --key go together");
      }
      if (cert != null) {
        o = o.withCredentials(TlsCredentials.fromPem(key, cert));
      }
      return Optional.of(o);
    }
  }

  /** A server's TLS options. */
  static final class Server {
    @Option(
        names = "--tls",
        description = "Speak TLS, presenting --cert and --key (or --self-signed).")
    boolean tls;

    @Option(
        names = "--cert",
        paramLabel = "FILE",
        description = "The PEM certificate chain, leaf first (implies --tls).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key of --cert (PEM).")
    Path key;

    @Option(
        names = "--self-signed",
        description =
            "Make a throwaway self-signed certificate for localhost and 127.0.0.1 (debugging only; implies --tls).")
    boolean selfSigned;

    @Option(
        names = "--alpn",
        paramLabel = "PROTOCOLS",
        split = ",",
        description = "Speak these application protocols, preferred first (implies --tls).")
    List<String> alpn;

    @Option(
        names = "--client-ca",
        paramLabel = "FILE",
        description =
            "Require a client certificate that verifies against this PEM file (implies --tls).")
    Path clientCa;

    /** The TLS options, or empty for plain text. */
    Optional<TlsServerOptions> options() throws NetException {
      boolean on = tls || cert != null || selfSigned || alpn != null || clientCa != null;
      if (!on) {
        return Optional.empty();
      }
      TlsCredentials credentials;
      if (selfSigned) {
        if (cert != null || key != null) {
          throw new IllegalArgumentException(
              "--self-signed makes its own certificate: drop --cert and --key");
        }
        credentials = TlsCredentials.selfSigned("localhost", "127.0.0.1", "::1");
      } else if (cert == null || key == null) {
        throw new IllegalArgumentException(
            "--tls needs --cert FILE and --key FILE (or --self-signed)");
      } else {
        credentials = TlsCredentials.fromPem(key, cert);
      }
      TlsServerOptions o = TlsServerOptions.of(credentials);
      if (alpn != null) {
        o = o.withAlpnProtocols(alpn.toArray(new String[0]));
      }
      if (clientCa != null) {
        o = o.withClientCertificates(true, TlsCredentials.certificates(clientCa));
      }
      return Optional.of(o);
    }
  }

  /** The relay's TLS options: a server's for {@code tls:listen:}, a client's for {@code tls:}. */
  static final class Relay {
    @Option(
        names = "--cert",
        paramLabel = "FILE",
        description = "For tls:listen: the PEM certificate chain.")
    Path cert;

    @Option(
        names = "--key",
        paramLabel = "FILE",
        description = "For tls:listen: the private key of --cert.")
    Path key;

    @Option(
        names = "--self-signed",
        description = "For tls:listen: a throwaway self-signed certificate (debugging only).")
    boolean selfSigned;

    @Option(
        names = "--ca",
        paramLabel = "FILE",
        description = "For tls:ENDPOINT: trust this PEM file instead of the JDK's set.")
    Path ca;

    @Option(
        names = "--insecure",
        description = "For tls:ENDPOINT: go on when the certificate does not verify.")
    boolean insecure;

    @Option(
        names = "--servername",
        paramLabel = "NAME",
        description = "For tls:ENDPOINT: the SNI name to send and verify.")
    String servername;

    TlsServerOptions server() throws NetException {
      Server s = new Server();
      s.tls = true;
      s.cert = cert;
      s.key = key;
      s.selfSigned = selfSigned;
      return s.options().orElseThrow();
    }

    TlsOptions client() throws NetException {
      Client c = new Client();
      c.tls = true;
      c.ca = ca;
      c.insecure = insecure;
      c.servername = servername;
      return c.options().orElseThrow();
    }
  }
}
