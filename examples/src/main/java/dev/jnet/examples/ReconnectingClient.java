package dev.jnet.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnet.Endpoint;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageClient;
import dev.jnet.message.MessageServer;
import dev.jnet.message.ReconnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The reconnecting client: messages sent while the server is down wait in its queue and go out, in
 * order and once, when the server comes up. The client does not keep the JVM alive by itself, so
 * the program waits for what it sent before it returns.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.ReconnectingClient [unix:/tmp/app.sock]}. Exits 1
 * with one line on {@code stderr} if a message was not delivered within 10 s.
 */
public final class ReconnectingClient {
  private ReconnectingClient() {}

  /**
   * Runs the example.
   *
   * @param args an optional endpoint
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    Endpoint where = Endpoint.parse(args.length > 0 ? args[0] : "unix:/tmp/app.sock");
    // readme:start
    MessageClient client =
        MessageClient.connect(
            where,
            Framing.lines(),
            ReconnectOptions.defaults().withDelays(Duration.ofMillis(50), Duration.ofSeconds(1)));
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (String m : List.of("one", "two", "three")) {
      sent.add(client.send(UTF_8.encode(m)).toCompletableFuture()); // queued: nobody listens yet
    }
    System.out.println("queued " + client.queued() + " while the server is down");

    CountDownLatch received = new CountDownLatch(3);
    MessageServer server =
        MessageServer.create(
            Framing.lines(),
            conn ->
                conn.onMessage(
                    m -> {
                      System.out.println("server got " + UTF_8.decode(m));
                      received.countDown();
                    }));
    server.listen(where).toCompletableFuture().join(); // the client connects on its next attempt

    // A message still queued when main returns is lost with the JVM: wait for the sends to reach
    // the kernel (and here, for the server to read them), then close.
    try {
      CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
      if (!received.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the server got " + (3 - received.getCount()) + " of 3");
      }
    } catch (Exception e) {
      System.err.println("jnet example: not delivered: " + e);
      System.exit(1);
    }
    client.close();
    server.close();
    // readme:end
  }
}
