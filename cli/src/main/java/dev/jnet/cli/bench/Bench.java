package dev.jnet.cli.bench;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three measurements of {@code jnet bench} against an echo server, all in this process, each
 * bounded: stream throughput (one connection writing as fast as the echo comes back),
 * request-response latency (one connection, one message in flight) and connections per second
 * (connect, then close, a few at a time).
 */
public final class Bench {
  private static final SocketOptions OPTIONS =
      SocketOptions.defaults().withNoDelay(true).withConnectTimeout(Duration.ofSeconds(5));

  private static final int MAX_FAILURES = 100;

  private final Endpoint endpoint;
  private final TlsOptions tls; // null for plain text

  public Bench(Endpoint endpoint) {
    this(endpoint, null);
  }

  /**
   * A benchmark against an echo server, over TLS when {@code tls} is given (every connection then
   * counts once its handshake is done).
   *
   * @param endpoint the echo server
   * @param tls the TLS options, or null
   */
  public Bench(Endpoint endpoint, TlsOptions tls) {
    this.endpoint = endpoint;
    this.tls = tls;
  }

  private Socket open() {
    return tls == null
        ? Net.createConnection(endpoint, OPTIONS)
        : Tls.connect(endpoint, OPTIONS, tls);
  }

  /** Connected, or for TLS, secure. */
  private static CompletableFuture<?> ready(Socket s) {
    return s instanceof TlsSocket t
        ? t.secureConnected().toCompletableFuture()
        : s.connected().toCompletableFuture();
  }

  /**
   * One connection for a measured phase. A Unix server's accept queue that the previous phase's
   * connects filled refuses with {@code EAGAIN} until the server drained it: such a connect is
   * tried again for up to {@value #QUEUE_FULL_RETRY_MS} ms, every other failure ends the run.
   */
  private Socket connect() throws Exception {
    long deadline = System.nanoTime() + QUEUE_FULL_RETRY_MS * 1_000_000L;
    while (true) {
      Socket s = open();
      try {
        ready(s).get();
        return s;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        boolean queueFull =
            cause instanceof dev.jnet.NetException n && n.code() == dev.jnet.ErrorCode.EAGAIN;
        if (!queueFull || System.nanoTime() - deadline > 0) {
          throw cause instanceof Exception c ? c : e;
        }
        s.destroy();
        Thread.sleep(10); // the server accepts at its own pace: nothing to wait on from here
      }
    }
  }

  /** How long a measured phase's connect is retried while the server's accept queue is full. */
  private static final long QUEUE_FULL_RETRY_MS = 2_000;

  /**
   * Writes {@code chunk}-sized buffers for {@code duration}, honouring backpressure, counting the
   * echo.
   *
   * @return bytes, seconds and MiB/s
   */
  public Map<String, Object> throughput(Duration duration, int chunk) throws Exception {
    Socket s = connect();
    byte[] data = new byte[chunk];
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    Runnable pump =
        () -> {
          while (!stop.isDone() && s.write(ByteBuffer.wrap(data))) {
            // keep writing until the socket asks us to wait for drain
          }
        };
    s.onData(b -> received.addAndGet(b.remaining()));
    s.onDrain(pump);
    long start = System.nanoTime();
    pump.run();
    stop.completeOnTimeout(null, duration.toNanos(), TimeUnit.NANOSECONDS).get();
    long bytes = received.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    s.destroy();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mibPerSec", round(bytes / seconds / (1 << 20)));
    m.put("bytes", bytes);
    m.put("seconds", round(seconds));
    m.put("chunk", chunk);
    return m;
  }

  /**
   * Sends one {@code size}-byte message at a time and waits for all of it to come back.
   *
   * @return the count and the percentiles in microseconds
   */
  public Map<String, Object> latency(int requests, int size, Duration bound) throws Exception {
    Socket s = connect();
    byte[] message = new byte[size];
    long[] rtt = new long[requests];
    AtomicInteger done = new AtomicInteger();
    AtomicLong pending = new AtomicLong(size);
    AtomicLong sentAt = new AtomicLong();
    CompletableFuture<Void> finished = new CompletableFuture<>();
    s.onData(
        b -> {
          if (pending.addAndGet(-b.remaining()) > 0 || finished.isDone()) {
            return;
          }
          int n = done.getAndIncrement();
          rtt[n] = System.nanoTime() - sentAt.get();
          if (n + 1 >= requests) {
            finished.complete(null);
            return;
          }
          pending.set(size);
          sentAt.set(System.nanoTime());
          s.write(ByteBuffer.wrap(message));
        });
    sentAt.set(System.nanoTime());
    s.write(ByteBuffer.wrap(message));
    finished.completeOnTimeout(null, bound.toNanos(), TimeUnit.NANOSECONDS).get();
    s.destroy();
    int n = Math.min(done.get(), requests);
    long[] sorted = Arrays.copyOf(rtt, n);
    Arrays.sort(sorted);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", n);
    m.put("size", size);
    m.put("p50us", percentile(sorted, 50));
    m.put("p90us", percentile(sorted, 90));
    m.put("p99us", percentile(sorted, 99));
    m.put("p999us", percentile(sorted, 99.9));
    m.put("maxUs", n == 0 ? 0 : round(sorted[n - 1] / 1e3));
    return m;
  }

  /**
   * Connects and closes for {@code duration}, {@code parallel} at a time.
   *
   * @return connections, seconds and the rate
   */
  public Map<String, Object> connections(Duration duration, int parallel) throws Exception {
    AtomicLong count = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long deadline = System.nanoTime() + duration.toNanos();
    CompletableFuture<?>[] loops = new CompletableFuture<?>[parallel];
    // a thread per loop: on the common pool (runAsync's default) loops beyond its parallelism would
    // wait for the others to end, and the run would measure fewer at a time than asked
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(
            parallel,
            r -> {
              Thread t = new Thread(r, "jnet-bench-connect");
              t.setDaemon(true);
              return t;
            });
    long start = System.nanoTime();
    for (int i = 0; i < parallel; i++) {
      loops[i] =
          CompletableFuture.runAsync(
              () -> {
                while (System.nanoTime() < deadline) {
                  Socket s = open();
                  try {
                    ready(s).join();
                    count.incrementAndGet();
                  } catch (CompletionException e) {
                    // a full accept queue (EAGAIN on a Unix socket) or a refusal: counted, and the
                    // run goes on
                    if (failed.incrementAndGet() > MAX_FAILURES && count.get() == 0) {
                      throw e;
                    }
                  }
                  s.destroy();
                  s.closed().toCompletableFuture().exceptionally(t -> true).join();
                }
              },
              threads);
    }
    try {
      CompletableFuture.allOf(loops).get();
    } catch (ExecutionException e) {
      Throwable cause =
          e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
      throw cause instanceof Exception c ? c : e;
    } finally {
      threads.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("perSec", round(count.get() / seconds));
    m.put("connections", count.get());
    m.put("seconds", round(seconds));
    m.put("parallel", parallel);
    m.put("failed", failed.get());
    return m;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return round(sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
