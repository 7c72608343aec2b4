package dev.jnet.message.bench;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The jnet side of the message benchmark's server, the twin of {@code message/bench/server.js}.
 * Length-prefixed framing on every connection (TCP with Nagle off, as in both clients); {@code
 * echo} sends each message back as it is, {@code rpc} answers each envelope request with its own
 * body through a {@link Messenger}.
 *
 * <pre>
 *   java dev.jnet.message.bench.BenchServer echo|rpc ENDPOINT      prints "READY &lt;endpoint&gt;", runs until killed
 * </pre>
 */
public final class BenchServer {
  private BenchServer() {}

  /**
   * Listens and serves until the process is killed.
   *
   * @param args the mode and the endpoint to listen on
   * @throws Exception if listening fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BenchServer echo|rpc ENDPOINT");
      System.exit(2);
    }
    Endpoint at = Endpoint.parse(args[1]);
    ServerOptions options = ServerOptions.defaults().withNoDelay(at instanceof Endpoint.Tcp);
    MessageServer server =
        MessageServer.create(options, Framing.lengthPrefixed(), handler(args[0]));
    server.listen(at).toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println("READY " + server.server().address().orElseThrow());
    System.out.flush();
  }

  private static Consumer<MessageSocket> handler(String mode) {
    switch (mode) {
      case "echo":
        return conn -> conn.onMessage(conn::send);
      case "rpc":
        return conn -> Messenger.of(conn).onRequest((body, reply) -> reply.resolve(body));
      default:
        throw new IllegalArgumentException("mode must be echo or rpc: " + mode);
    }
  }
}
