package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link InheritedFdIT}: an echo server on an inherited listener ({@code
 * listen fd:N}, or {@code listen systemd} through {@link SocketActivation}), or an echo over an
 * inherited connected socket ({@code connect fd:N}). Prints {@code ready ADDRESS} once serving (and
 * {@code accepted LOCAL-ADDRESS} per connection), then runs until stdin ends (or, for a connection,
 * until it closes); every wait is bounded.
 */
public final class FdChild {
  private FdChild() {}

  /**
   * Runs the child.
   *
   * @param args {@code listen|connect ENDPOINT|systemd}
   * @throws Exception on failure (the exit code is then 1)
   */
  public static void main(String[] args) throws Exception {
    Endpoint ep =
        args[1].equals("systemd")
            ? SocketActivation.named("web")
                .orElseThrow(() -> new IllegalStateException("no LISTEN_FDS socket"))
            : Endpoint.parse(args[1]);
    if (args[0].equals("listen")) {
      java.util.function.Consumer<Socket> serve =
          s -> {
            System.out.println("accepted " + s.localAddress().map(Endpoint::toString).orElse("?"));
            System.out.flush();
            s.pipe(s);
          };
      String key = System.getProperty("jnet.test.tls.key");
      Server server =
          key == null
              ? Net.createServer(serve)
              : dev.jnet.tls.Tls.createServer(
                  dev.jnet.tls.TlsServerOptions.of(
                      dev.jnet.tls.TlsCredentials.fromPem(
                          java.nio.file.Path.of(key),
                          java.nio.file.Path.of(System.getProperty("jnet.test.tls.cert")))),
                  serve::accept);
      server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
      System.out.println("ready " + server.address().map(Endpoint::toString).orElse("?"));
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our stdin
      }
      server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } else {
      CountDownLatch closed = new CountDownLatch(1);
      Socket s = Net.createConnection(ep);
      s.pipe(s);
      s.onClose(hadError -> closed.countDown());
      s.onConnect(
          () -> {
            System.out.println("ready " + s.remoteAddress().map(Endpoint::toString).orElse("?"));
            System.out.flush();
          });
      if (!closed.await(30, TimeUnit.SECONDS)) {
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
