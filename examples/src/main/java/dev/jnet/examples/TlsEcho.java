package dev.jnet.examples;

import dev.jnet.Endpoint;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsServer;
import dev.jnet.tls.TlsServerOptions;
import dev.jnet.tls.TlsSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's TLS example: a TLS echo server with a key and certificate from PEM files, and a
 * client that trusts that certificate, verifies the server's name and prints the echo with what the
 * handshake agreed. Without files it makes a throwaway self-signed certificate.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.TlsEcho [tcp://127.0.0.1:7443 [key.pem cert.pem]]}.
 * Exits 1 with one line on {@code stderr} if a file cannot be read or the server cannot listen.
 */
public final class TlsEcho {
  private TlsEcho() {}

  /**
   * Runs the example.
   *
   * @param args an optional endpoint, then optional key and certificate files
   * @throws Exception if a file cannot be read
   */
  public static void main(String[] args) throws Exception {
    Endpoint where = Endpoint.parse(args.length > 0 ? args[0] : "tcp://127.0.0.1:7443");
    TlsCredentials credentials =
        args.length > 2
            ? TlsCredentials.fromPem(Path.of(args[1]), Path.of(args[2]))
            : TlsCredentials.selfSigned("localhost", "127.0.0.1");
    // readme:start
    // credentials: TlsCredentials.fromPem(key, cert) as openssl writes them, or selfSigned(...)
    TlsServer server =
        Tls.createServer(TlsServerOptions.of(credentials), socket -> socket.pipe(socket));
    server.onTlsClientError(e -> System.err.println("handshake failed: " + e.getMessage()));
    server.listen(where).toCompletableFuture().join();

    TlsOptions trust = TlsOptions.defaults().withCa(List.of(credentials.certificate()));
    TlsSocket client = Tls.connect(server.address().orElseThrow(), trust);
    client.setEncoding(StandardCharsets.UTF_8);
    client.onSecureConnect(() -> System.out.println(client.protocol().orElseThrow()));
    client.onText(System.out::println); // "hello over TLS"
    client.onError(e -> System.err.println(e.getMessage())); // "self-signed certificate", ...
    client.onClose(hadError -> server.close());
    client.end("hello over TLS"); // close_notify, then FIN
    // readme:end
  }
}
