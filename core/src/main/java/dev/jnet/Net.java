package dev.jnet;

import dev.jnet.internal.DefaultServer;
import dev.jnet.internal.DefaultSocket;
import dev.jnet.internal.Engine;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point, as Node's {@code net} module: {@link #createServer} and {@link
 * #createConnection}.
 *
 * <pre>{@code
 * Server server = Net.createServer(socket -> socket.pipe(socket));        // an echo server
 * server.listen(Endpoint.parse("tcp://127.0.0.1:7000")).toCompletableFuture().join();
 *
 * Socket client = Net.createConnection(Endpoint.parse("tcp://127.0.0.1:7000"));
 * client.onData(buf -> System.out.print(StandardCharsets.UTF_8.decode(buf)));
 * client.end("hello\n");
 * }</pre>
 *
 * <p>All sockets and servers share one I/O engine: Netty's native epoll where available, else Java
 * NIO ({@code -Djnet.transport=nio} forces NIO). It runs one I/O thread by default, as Node runs
 * one loop; {@link #ioThreads(int)} opts into more. The JVM stays alive while a server listens or a
 * socket is open, unless they are {@code unref()}ed, so a {@code main} that closes everything exits
 * by itself.
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class Net {
  private Net() {}

  /**
   * Sets the number of I/O threads; must be called before the first socket or server is created.
   *
   * @param threads one or more
   * @throws IllegalStateException if the engine has already started
   * @throws IllegalArgumentException if {@code threads} is less than 1
   */
  public static void ioThreads(int threads) {
    Engine.configureThreads(threads);
  }

  /**
   * Returns the name of the I/O engine in use: {@code epoll} or {@code nio}.
   *
   * @return the engine name
   */
  public static String engine() {
    return Engine.get().name();
  }

  /**
   * Creates a server with default options.
   *
   * @param onConnection called for each accepted socket
   * @return the server, not yet listening
   */
  public static Server createServer(Consumer<Socket> onConnection) {
    return createServer(ServerOptions.defaults(), onConnection);
  }

  /**
   * Creates a server.
   *
   * @param options the server's options
   * @param onConnection called for each accepted socket
   * @return the server, not yet listening
   */
  public static Server createServer(ServerOptions options, Consumer<Socket> onConnection) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(onConnection, "onConnection");
    DefaultServer server = new DefaultServer(Engine.get(), options);
    server.onConnection(onConnection);
    return server;
  }

  /**
   * Creates a server with default options and no connection listener yet.
   *
   * @return the server
   */
  public static Server createServer() {
    return new DefaultServer(Engine.get(), ServerOptions.defaults());
  }

  /**
   * Connects with default options.
   *
   * @param endpoint where to connect
   * @return the socket, connecting
   */
  public static Socket createConnection(Endpoint endpoint) {
    return createConnection(endpoint, SocketOptions.defaults());
  }

  /**
   * Connects; returns at once with a socket that is {@link ReadyState#OPENING}. Writes made before
   * the connection is established are queued and sent after {@code connect}.
   *
   * @param endpoint where to connect
   * @param options the socket's options
   * @return the socket, connecting
   */
  public static Socket createConnection(Endpoint endpoint, SocketOptions options) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(options, "options");
    return DefaultSocket.connect(Engine.get(), endpoint, options);
  }
}
