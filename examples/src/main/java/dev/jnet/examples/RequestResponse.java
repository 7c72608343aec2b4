package dev.jnet.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import java.time.Duration;

/**
 * Request/response over the message layer: a server that answers every request with its body, and a
 * client that asks once, prints the answer ({@code ping}) and closes both.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.RequestResponse [unix:/tmp/app.sock]} (any
 * endpoint: {@code tcp://127.0.0.1:0}, {@code pipe:app}, ...). Exits 1 with one line on {@code
 * stderr} if the request fails.
 */
public final class RequestResponse {
  private RequestResponse() {}

  /**
   * Runs the example.
   *
   * @param args an optional endpoint to listen on
   */
  public static void main(String[] args) {
    Endpoint where = Endpoint.parse(args.length > 0 ? args[0] : "unix:/tmp/app.sock");
    // readme:start
    MessageServer server =
        MessageServer.create(
            Framing.lengthPrefixed(),
            conn -> Messenger.of(conn).onRequest((body, reply) -> reply.resolve(body))); // echo
    server.listen(where).toCompletableFuture().join();

    Messenger client =
        Messenger.of(
            MessageSocket.wrap(
                Net.createConnection(server.server().address().orElseThrow()),
                Framing.lengthPrefixed()));
    client
        .request(UTF_8.encode("ping"), Duration.ofSeconds(2))
        .whenComplete(
            (answer, failure) -> {
              if (failure != null) {
                System.err.println("jnet example: " + failure.getMessage()); // e.g. ETIMEDOUT
                System.exit(1);
              }
              System.out.println(UTF_8.decode(answer)); // ping
              client.socket().end();
              server.close();
            });
    // readme:end
  }
}
