package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What idle {@code pipe:} connections cost, epoll engine against thread engine: each engine runs in
 * a child JVM of its own (so the resident set size is that engine's), alternating, {@code reps}
 * times. A child listens, opens {@code N} connections one after another (both ends in the same JVM:
 * {@code 2N} channels), then {@code N/5} more all at once, and reports the live threads and the
 * resident set size before, right after set-up (opener threads still idle in their pool) and once
 * the opener threads ended, plus the set-up rates. Run from the repository root (build the class
 * path as for {@link PipeEchoBench}):
 *
 * <pre>
 *   java -cp "ipc/target/classes:ipc/target/test-classes:core/target/classes:$(cat ipc/target/bench.cp)" \
 *     dev.jnet.ipc.internal.pipe.PipeIdleBench [N, default 500] [reps, default 2]
 * </pre>
 */
public final class PipeIdleBench {
  private static final List<String> KEYS =
      List.of(
          "threads0",
          "rss0",
          "seqPerSec",
          "burstPerSec",
          "threads1",
          "io1",
          "open1",
          "rss1",
          "threads2",
          "io2",
          "rss2",
          "fds2");

  private PipeIdleBench() {}

  /**
   * Runs the benchmark, or one child.
   *
   * @param args {@code [N] [reps]}, or {@code --child N} in a child
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Integer.parseInt(args[1]));
      System.exit(0);
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    System.out.println(
        n + " connections (both ends in one JVM, so " + 2 * n + " channels), child JVMs alternate");
    System.out.println(
        "engine   threads: before/after set-up/idle (pipe-io)   RSS MiB: before/after set-up/idle"
            + "   set-up conn/s: one by one/burst of "
            + n / 5);
    for (int r = 0; r < reps; r++) {
      for (String engine : List.of("epoll", "threads")) {
        Map<String, String> m = spawn(engine, n);
        System.out.printf(
            "%-8s %5s / %5s / %5s (%4s)          %5s / %5s / %5s          %6s / %6s%n",
            engine,
            m.get("threads0"),
            m.get("threads1"),
            m.get("threads2"),
            m.get("io2"),
            m.get("rss0"),
            m.get("rss1"),
            m.get("rss2"),
            m.get("seqPerSec"),
            m.get("burstPerSec"));
      }
    }
    System.exit(0);
  }

  private static Map<String, String> spawn(String engine, int n) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djnet.pipe.engine=" + engine,
                "-cp",
                System.getProperty("java.class.path"),
                PipeIdleBench.class.getName(),
                "--child",
                Integer.toString(n)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Map<String, String> m = new TreeMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        int eq = line.indexOf('=');
        if (line.startsWith("result ") && eq > 0) {
          m.put(line.substring(7, eq), line.substring(eq + 1));
        } else {
          System.out.println("  child: " + line);
        }
      }
    }
    if (p.waitFor() != 0 || !m.keySet().containsAll(KEYS)) {
      throw new IllegalStateException("child " + engine + " failed: " + m);
    }
    return m;
  }

  private static void child(int n) throws Exception {
    Path dir = Files.createTempDirectory("jnet-idle").resolve("p");
    LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    Server server = Net.createServer(accepted::add);
    server
        .listen(new Endpoint.Pipe(dir.toString()))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    report("threads0", "rss0");
    List<Socket> clients = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      clients.add(connect(dir).get(30, TimeUnit.SECONDS));
      accepted.take();
    }
    result("seqPerSec", Math.round(n / ((System.nanoTime() - t0) / 1e9)));
    int burst = n / 5;
    t0 = System.nanoTime();
    List<CompletableFuture<Socket>> pending = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      pending.add(connect(dir));
    }
    for (CompletableFuture<Socket> f : pending) {
      clients.add(f.get(60, TimeUnit.SECONDS));
    }
    for (int i = 0; i < burst; i++) {
      accepted.take();
    }
    result("burstPerSec", Math.round(burst / ((System.nanoTime() - t0) / 1e9)));
    // back to N connections, the figure the idle rows are about
    for (Socket s : clients.subList(n, clients.size())) {
      s.destroy();
      s.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    report("threads1", "rss1");
    result("io1", count("jnet-pipe-io-"));
    result("open1", count("jnet-pipe-open-"));
    long deadline =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(FifoThreads.OPENER_IDLE_SECONDS + 20);
    while (count("jnet-pipe-open-") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200); // a bench, not a test: wait for the idle opener threads to end
    }
    report("threads2", "rss2");
    result("io2", count("jnet-pipe-io-"));
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      result("fds2", fds.count());
    }
    for (Socket s : clients.subList(0, n)) {
      s.destroy();
    }
    server.close().toCompletableFuture().get(60, TimeUnit.SECONDS); // once every connection closed
    Files.deleteIfExists(dir.getParent());
  }

  private static CompletableFuture<Socket> connect(Path dir) {
    CompletableFuture<Socket> f = new CompletableFuture<>();
    Socket c = Net.createConnection(new Endpoint.Pipe(dir.toString()));
    c.onConnect(() -> f.complete(c));
    c.onError(f::completeExceptionally);
    return f;
  }

  private static void report(String threadsKey, String rssKey) throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    String status = Files.readString(Path.of("/proc/self/status"));
    result(threadsKey, field(status, "Threads:"));
    result(rssKey, Math.round(field(status, "VmRSS:") / 1024.0));
  }

  private static long field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException(name + " not in /proc/self/status");
  }

  private static long count(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .count();
  }

  private static void result(String key, long value) {
    System.out.println("result " + key + "=" + value);
  }
}
