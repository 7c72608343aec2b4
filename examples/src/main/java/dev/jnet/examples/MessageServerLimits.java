package dev.jnet.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.MessageSocket;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A broadcasting message server with its limits set: subscribers that never speak are allowed (no
 * first-frame deadline), a frame must complete within 10 s, and a subscriber that falls 4 MiB
 * behind is cut off. One subscriber connects, gets a broadcast, and everything closes.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.MessageServerLimits [tcp://127.0.0.1:0]}.
 */
public final class MessageServerLimits {
  private static final Logger log = Logger.getLogger(MessageServerLimits.class.getName());

  private MessageServerLimits() {}

  /**
   * Runs the example.
   *
   * @param args an optional endpoint
   */
  public static void main(String[] args) {
    Endpoint where = Endpoint.parse(args.length > 0 ? args[0] : "tcp://127.0.0.1:0");
    // readme:start
    MessageServer server =
        MessageServer.create(
            MessageServerOptions.defaults()
                .withFirstFrameTimeout(Duration.ZERO) // subscribers may stay silent
                .withFrameTimeout(Duration.ofSeconds(10))
                .withMaxBroadcastBacklog(4 << 20),
            Framing.lines(),
            conn -> conn.onError(e -> log.info(conn + ": " + e.getMessage())));
    // readme:end
    server.listen(where).toCompletableFuture().join();
    server.onConnection(conn -> server.broadcast(UTF_8.encode("{\"tick\":1}")));
    MessageSocket subscriber =
        MessageSocket.wrap(
            Net.createConnection(server.server().address().orElseThrow()), Framing.lines());
    subscriber.onMessage(
        m -> {
          System.out.println("subscriber got " + UTF_8.decode(m));
          subscriber.end();
          server.close();
        });
  }
}
