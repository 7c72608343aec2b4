package dev.jnet.examples;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The README's first example: an echo server and a client that sends {@code hello}, prints the echo
 * and closes the server. The JVM exits by itself once nothing is open, as Node does.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.QuickStart [tcp://127.0.0.1:7000]} (port 0 picks a
 * free one). Exits 1 with one line on {@code stderr} if the server cannot listen.
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the example.
   *
   * @param args an optional endpoint to listen on
   */
  public static void main(String[] args) {
    Endpoint where = Endpoint.parse(args.length > 0 ? args[0] : "tcp://127.0.0.1:7000");
    // readme:start
    Server server = Net.createServer(socket -> socket.pipe(socket)); // an echo server
    server.listen(where).toCompletableFuture().join(); // throws if it cannot listen

    Socket client = Net.createConnection(server.address().orElseThrow());
    client.setEncoding(StandardCharsets.UTF_8);
    client.onText(System.out::print); // "hello"
    client.onError(e -> System.err.println(e.getMessage())); // "connect ECONNREFUSED ..."
    client.onClose(hadError -> server.close());
    client.end("hello"); // write, then FIN
    // main returns; the JVM exits by itself once nothing is open, as Node does
    // readme:end
  }
}
