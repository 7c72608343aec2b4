package dev.jnet.examples;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.nio.charset.StandardCharsets;

/**
 * Half-close, as {@code node/half-close.js} does it: a server that reads until the client's end,
 * then answers and ends its own side; the client prints the answer, the server's end, and the
 * close.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.HalfClose}.
 */
public final class HalfClose {
  private HalfClose() {}

  /**
   * Runs the example.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    Server server =
        Net.createServer(
            ServerOptions.defaults().withAllowHalfOpen(true),
            socket -> {
              long[] got = {0};
              socket.onData(chunk -> got[0] += chunk.remaining());
              // the client ended: we may still write
              socket.onEnd(() -> socket.end("got " + got[0] + " bytes\n"));
            });
    server.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();
    Socket client =
        Net.createConnection(
            server.address().orElseThrow(), SocketOptions.defaults().withAllowHalfOpen(true));
    client.setEncoding(StandardCharsets.UTF_8);
    client.onText(System.out::print);
    client.onEnd(() -> System.out.println("server ended"));
    client.onClose(
        hadError -> {
          System.out.println("closed, hadError=" + hadError);
          server.close();
        });
    client.end("hello"); // FIN after "hello"; the answer still comes
  }
}
