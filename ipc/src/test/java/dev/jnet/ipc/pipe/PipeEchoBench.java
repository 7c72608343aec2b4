package dev.jnet.ipc.pipe;

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
 * Bulk echo over {@code pipe:} and {@code unix:} in one run: a jnet client streams {@code MiB} mebibytes through
 * {@code Net.createServer(s -> s.pipe(s))} and reads them back, with backpressure; prints MiB/s per transport and
 * the ratio. Run from the repository root:
 *
 * <pre>
 *   mvn -B -q -o test-compile dependency:build-classpath -pl core,ipc -Dmdep.outputFile=target/bench.cp \
 *     -Dmdep.includeScope=test
 *   java -cp "ipc/target/classes:ipc/target/test-classes:core/target/classes:$(cat ipc/target/bench.cp)" \
 *     dev.jnet.ipc.pipe.PipeEchoBench [MiB] [rounds]          # add -Djnet.transport=nio for NIO
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
    System.out.println("engine " + Net.engine() + ", " + mib + " MiB per round, " + rounds + " rounds");
    double[] unix = new double[rounds];
    double[] pipe = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      unix[r] = run(new Endpoint.Unix(tmp.resolve("u" + r + ".sock").toString(), false), mib);
      pipe[r] = run(new Endpoint.Pipe(tmp.resolve("p" + r).toString()), mib);
    }
    Arrays.sort(unix);
    Arrays.sort(pipe);
    double ub = unix[rounds - 1];
    double pb = pipe[rounds - 1];
    double um = unix[rounds / 2];
    double pm = pipe[rounds / 2];
    System.out.printf("best:   unix %.0f MiB/s, pipe %.0f MiB/s, pipe/unix %.2fx%n", ub, pb, pb / ub);
    System.out.printf("median: unix %.0f MiB/s, pipe %.0f MiB/s, pipe/unix %.2fx%n", um, pm, pm / um);
    try (var files = Files.list(tmp)) {
      for (Path p : files.toList()) {
        Files.delete(p); // the unix: servers' lock files
      }
    }
    Files.delete(tmp);
    System.exit(0);
  }

  private static double run(Endpoint ep, long mib) throws Exception {
    Server server = Net.createServer(s -> s.pipe(s));
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    long total = mib * 1024 * 1024;
    CompletableFuture<Long> done = new CompletableFuture<>();
    Socket c = Net.createConnection(ep);
    long[] received = {0};
    long[] sent = {0};
    long started = System.nanoTime();
    byte[] chunk = new byte[CHUNK];
    Runnable pump = () -> {
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
    c.onData(b -> {
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
    System.out.printf("  %-5s %.0f MiB/s%n", ep.scheme(), rate);
    return rate;
  }
}
