package dev.jnet.message.bench;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jnet side of the message benchmark's client, the twin of {@code message/bench/client.js}.
 * Both print one line, {@code RESULT rate <messages/s>} or {@code RESULT latency <p50 us> <p99 us>
 * <mean us>}.
 *
 * <pre>
 *   rate ENDPOINT WARMUP_S MEASURE_S WINDOW   64-byte messages, WINDOW of them in flight: each echo sends the next;
 *                                             the rate counts echoes received during MEASURE_S after WARMUP_S
 *   latency ENDPOINT WARMUP_N COUNT [TIMEOUT_MS]
 *                                             sequential envelope requests (64-byte body, TIMEOUT_MS per request,
 *                                             30000 by default, 0 for none): each response sends the next; COUNT
 *                                             timed after WARMUP_N untimed
 * </pre>
 */
public final class BenchClient {
  static final int MESSAGE_SIZE = 64;

  private BenchClient() {}

  /**
   * Runs one measurement and prints its result line.
   *
   * @param args the mode, the server's endpoint and the mode's numbers
   * @throws Exception if the connection fails or the run exceeds its bound
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println(
          "usage: BenchClient rate ENDPOINT WARMUP_S MEASURE_S WINDOW | latency ENDPOINT WARMUP_N COUNT [TIMEOUT_MS]");
      System.exit(2);
    }
    Endpoint at = Endpoint.parse(args[1]);
    SocketOptions options = SocketOptions.defaults().withNoDelay(at instanceof Endpoint.Tcp);
    MessageSocket socket =
        MessageSocket.wrap(Net.createConnection(at, options), Framing.lengthPrefixed());
    String result =
        args[0].equals("rate")
            ? rate(
                socket,
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]))
            : latency(
                socket,
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 30_000));
    System.out.println("RESULT " + result);
    System.out.flush();
    socket.destroy();
    System.exit(0);
  }

  private static ByteBuffer payload() {
    byte[] b = new byte[MESSAGE_SIZE];
    Arrays.fill(b, (byte) 'x');
    return ByteBuffer.wrap(b);
  }

  private static String rate(MessageSocket socket, int warmupS, int measureS, int window)
      throws Exception {
    ByteBuffer msg = payload();
    AtomicLong echoed = new AtomicLong();
    socket.onMessage(
        m -> {
          echoed.incrementAndGet();
          socket.send(msg.duplicate());
        });
    for (int i = 0; i < window; i++) {
      socket.send(msg.duplicate());
    }
    Thread.sleep(warmupS * 1000L);
    long n0 = echoed.get();
    long t0 = System.nanoTime();
    Thread.sleep(measureS * 1000L);
    long n1 = echoed.get();
    long t1 = System.nanoTime();
    return String.format("rate %.0f", (n1 - n0) * 1e9 / (t1 - t0));
  }

  private static String latency(MessageSocket socket, int warmup, int count, Duration timeout)
      throws Exception {
    Messenger messenger = Messenger.of(socket);
    long[] nanos = new long[count];
    CompletableFuture<Void> done = new CompletableFuture<>();
    new Object() {
      int sent;

      void next() {
        int i = sent++;
        long start = System.nanoTime();
        messenger
            .request(payload(), timeout)
            .whenComplete(
                (body, error) -> {
                  if (error != null) {
                    done.completeExceptionally(error);
                    return;
                  }
                  if (i >= warmup) {
                    nanos[i - warmup] = System.nanoTime() - start;
                  }
                  if (sent < warmup + count) {
                    next();
                  } else {
                    done.complete(null);
                  }
                });
      }
    }.next();
    done.get(120, TimeUnit.SECONDS);
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e3;
    return String.format(
        "latency %.1f %.1f %.1f", percentile(nanos, 50), percentile(nanos, 99), mean);
  }

  private static double percentile(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e3;
  }
}
