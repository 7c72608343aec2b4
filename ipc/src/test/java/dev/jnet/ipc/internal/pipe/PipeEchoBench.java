package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bulk echo over {@code unix:}, {@code pipe:} on the epoll engine and {@code pipe:} on the thread
 * engine, rounds interleaved in one run: a jnet client streams {@code MiB} mebibytes through {@code
 * Net.createServer(s -> s.pipe(s))} and reads them back, with backpressure; prints MiB/s per
 * variant and the ratios to {@code unix:}. (Under NIO both {@code pipe:} variants are the thread
 * engine.) Run from the repository root:
 *
 * <pre>
 *   mvn -B -q -o test-compile dependency:build-classpath -pl core,ipc -Dmdep.outputFile=target/bench.cp \
 *     -Dmdep.includeScope=test
 *   java -cp "ipc/target/classes:ipc/target/test-classes:core/target/classes:$(cat ipc/target/bench.cp)" \
 *     dev.jnet.ipc.internal.pipe.PipeEchoBench [MiB] [rounds]          # add -Djnet.transport=nio for NIO
 * </pre>
 */
public final class PipeEchoBench {
  private static final int CHUNK = 64 * 1024;

  private PipeEchoBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code [MiB per round, default 512] [rounds, default 3]}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 512;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path tmp = Files.createTempDirectory("jnet-bench");
    System.out.println(
        "engine " + Net.engine() + ", " + mib + " MiB per round, " + rounds + " rounds");
    double[] unix = new double[rounds];
    double[] epoll = new double[rounds];
    double[] threads = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      unix[r] =
          run("unix", new Endpoint.Unix(tmp.resolve("u" + r + ".sock").toString(), false), mib);
      System.setProperty("jnet.pipe.engine", "auto");
      epoll[r] = run(autoLabel(), new Endpoint.Pipe(tmp.resolve("e" + r).toString()), mib);
      System.setProperty("jnet.pipe.engine", "threads");
      threads[r] = run("pipe/threads", new Endpoint.Pipe(tmp.resolve("t" + r).toString()), mib);
    }
    report("best", unix, epoll, threads, rounds - 1);
    report("median", unix, epoll, threads, rounds / 2);
    try (var files = Files.list(tmp)) {
      for (Path p : files.toList()) {
        Files.delete(p); // the unix: servers' lock files
      }
    }
    Files.delete(tmp);
    System.exit(0);
  }

  /** The default engine: epoll under the epoll I/O engine, the thread engine under NIO. */
  private static String autoLabel() {
    return Net.engine().equals("epoll") ? "pipe/epoll" : "pipe/auto";
  }

  private static void report(String what, double[] unix, double[] auto, double[] threads, int i) {
    Arrays.sort(unix);
    Arrays.sort(auto);
    Arrays.sort(threads);
    System.out.printf(
        "%-7s unix %.0f MiB/s, %s %.0f MiB/s (%.2fx unix), pipe/threads %.0f MiB/s (%.2fx unix)%n",
        what + ":",
        unix[i],
        autoLabel(),
        auto[i],
        auto[i] / unix[i],
        threads[i],
        threads[i] / unix[i]);
  }

  private static double run(String label, Endpoint ep, long mib) throws Exception {
    Server server = Net.createServer(s -> s.pipe(s));
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    long total = mib * 1024 * 1024;
    CompletableFuture<Long> done = new CompletableFuture<>();
    Socket c = Net.createConnection(ep);
    long[] received = {0};
    long[] sent = {0};
    long started = System.nanoTime();
    byte[] chunk = new byte[CHUNK];
    Runnable pump =
        () -> {
          while (sent[0] < total) {
            int n = (int) Math.min(CHUNK, total - sent[0]);
            sent[0] += n;
            if (!c.write(ByteBuffer.wrap(chunk, 0, n))) {
              return; // resume on drain
            }
          }
        };
    c.onConnect(pump);
    c.onDrain(pump);
    c.onData(
        b -> {
          received[0] += b.remaining();
          if (received[0] >= total) {
            done.complete(System.nanoTime() - started);
          }
        });
    c.onError(done::completeExceptionally);
    long nanos = done.get(300, TimeUnit.SECONDS);
    c.destroy();
    c.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    double rate = mib / (nanos / 1e9);
    System.out.printf("  %-12s %.0f MiB/s%n", label, rate);
    return rate;
  }
}
