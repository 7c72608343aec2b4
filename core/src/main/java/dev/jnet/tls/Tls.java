package dev.jnet.tls;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.SocketOptions;
import dev.jnet.internal.DefaultServer;
import dev.jnet.internal.DefaultSocket;
import dev.jnet.internal.Engine;
import dev.jnet.internal.TlsLayer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point of TLS, as Node's {@code tls} module: {@link #createServer}, {@link #connect} and
 * {@link #upgrade} (STARTTLS), over any transport jnet has ({@code tcp://}, {@code unix:}, {@code
 * pipe:}, {@code fd:}).
 *
 * <pre>{@code
 * TlsServer server = Tls.createServer(
 *     TlsServerOptions.of(TlsCredentials.fromPem(Path.of("key.pem"), Path.of("cert.pem"))),
 *     socket -> socket.pipe(socket));
 * server.listen(Endpoint.parse("tcp://127.0.0.1:7443")).toCompletableFuture().join();
 *
 * TlsSocket client = Tls.connect(Endpoint.parse("tcp://localhost:7443"),
 *     TlsOptions.defaults().withCa(TlsCredentials.certificates(Path.of("ca.pem"))));
 * client.onSecureConnect(() -> client.end("hello\n"));
 * }</pre>
 *
 * <p>Built on Netty's {@code SslHandler} over the JDK's TLS: no native library is needed.
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class Tls {
  private Tls() {}

  /**
   * Creates a TLS server with default server options.
   *
   * @param tls the TLS options
   * @param onSecureConnection called with each socket whose handshake is done
   * @return the server, not yet listening
   */
  public static TlsServer createServer(
      TlsServerOptions tls, Consumer<TlsSocket> onSecureConnection) {
    return createServer(ServerOptions.defaults(), tls, onSecureConnection);
  }

  /**
   * Creates a TLS server.
   *
   * @param options the server's options (as {@code net.createServer})
   * @param tls the TLS options
   * @param onSecureConnection called with each socket whose handshake is done
   * @return the server, not yet listening
   */
  public static TlsServer createServer(
      ServerOptions options, TlsServerOptions tls, Consumer<TlsSocket> onSecureConnection) {
    Objects.requireNonNull(onSecureConnection, "onSecureConnection");
    TlsServer s = createServer(options, tls);
    s.onSecureConnection(onSecureConnection);
    return s;
  }

  /**
   * Creates a TLS server with no connection listener yet.
   *
   * @param options the server's options
   * @param tls the TLS options
   * @return the server
   */
  public static TlsServer createServer(ServerOptions options, TlsServerOptions tls) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(tls, "tls");
    return DefaultServer.tls(Engine.get(), options, TlsLayer.serverConfig(tls));
  }

  /**
   * Connects and starts the handshake, with default socket options.
   *
   * @param endpoint where to connect
   * @param tls the TLS options
   * @return the socket, connecting
   */
  public static TlsSocket connect(Endpoint endpoint, TlsOptions tls) {
    return connect(endpoint, SocketOptions.defaults(), tls);
  }

  /**
   * Connects and starts the handshake; returns at once. Writes made before the handshake is done
   * are sent after it.
   *
   * @param endpoint where to connect
   * @param options the socket's options (as {@code net.createConnection})
   * @param tls the TLS options
   * @return the socket, connecting
   */
  public static TlsSocket connect(Endpoint endpoint, SocketOptions options, TlsOptions tls) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(tls, "tls");
    return DefaultSocket.connectTls(
        Engine.get(), endpoint, options, TlsLayer.clientConfig(tls, endpoint));
  }

  /**
   * Starts TLS as a client on an open plain socket (STARTTLS, as Node's {@code
   * tls.connect({socket})}): the returned socket takes the connection over and handshakes; the
   * plain socket emits {@code close(false)} without closing the connection and must not be used any
   * more. Call it when the peer cannot have sent TLS bytes that the plain socket's listeners would
   * read as data (in STARTTLS protocols the client starts TLS only after the server's go-ahead);
   * bytes the plain socket had read but not yet delivered are handed to TLS.
   *
   * @param plain the open plain socket
   * @param tls the TLS options; the name verified defaults to the host the socket connected to
   * @return the TLS socket, handshaking
   * @throws IllegalArgumentException if {@code plain} is not a plain socket of jnet's
   */
  public static TlsSocket upgrade(dev.jnet.Socket plain, TlsOptions tls) {
    Objects.requireNonNull(plain, "plain");
    Objects.requireNonNull(tls, "tls");
    return DefaultSocket.upgrade(plain, TlsLayer.clientConfig(tls, DefaultSocket.targetOf(plain)));
  }

  /**
   * Starts TLS as a server on an open plain socket (the server's half of STARTTLS). The returned
   * socket emits {@code secureConnect} once the handshake is done, or {@code error} with the
   * failure; as {@link #upgrade}, the plain socket closes without closing the connection.
   *
   * @param plain the open plain socket
   * @param tls the server's TLS options
   * @return the TLS socket, handshaking
   * @throws IllegalArgumentException if {@code plain} is not a plain socket of jnet's
   */
  public static TlsSocket upgradeServer(dev.jnet.Socket plain, TlsServerOptions tls) {
    Objects.requireNonNull(plain, "plain");
    Objects.requireNonNull(tls, "tls");
    return DefaultSocket.upgrade(plain, TlsLayer.serverConfig(tls));
  }
}
