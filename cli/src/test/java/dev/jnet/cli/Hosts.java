package dev.jnet.cli;

import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three hosts in network namespaces of their own, on a line: {@code A} (10.201.1.1) — {@code R}
 * (10.201.1.2 | 10.201.2.1, forwarding) — {@code B} (10.201.2.2), joined by two veth pairs created
 * inside the namespaces ({@code ip -n NS link add ... peer ... netns NS2}), so the host's own
 * interfaces, routes and rules are never touched. Names are unique per run ({@code jh<random>a},
 * ...); {@link #close()} deletes them, and a shutdown hook does it if the JVM exits first.
 *
 * <p>Faults live on the router: a partition is a {@code blackhole} policy rule for each of its
 * interfaces (what it forwards is dropped without an ICMP error, a FIN or a reset: a middle box
 * that died); loss is a random {@code nft} drop rule in R's forward hook; delay, jitter and
 * reordering are a {@link HostsDelayLine} holding R's forwarded packets in a netfilter queue (this
 * works on a kernel without {@code sch_netem}); {@code tc tbf} limits the rate. All of it lives in
 * R and goes with it.
 */
final class Hosts implements AutoCloseable {
  static final String A_IP = "10.201.1.1";
  static final String R_IP_A = "10.201.1.2";
  static final String R_IP_B = "10.201.2.1";
  static final String B_IP = "10.201.2.2";

  final String a;
  final String r;
  final String b;
  private final Thread cleanup;
  private boolean closed;

  private Hosts(String prefix) {
    a = prefix + "a";
    r = prefix + "r";
    b = prefix + "b";
    cleanup = new Thread(this::deleteAll, "hosts-cleanup");
  }

  /**
   * Builds the three hosts, or aborts the calling test with the reason (not root, no {@code ip}, a
   * namespace that cannot be made).
   *
   * @return the hosts, to close after the tests
   */
  static Hosts build() throws IOException, InterruptedException {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "the host tests make network namespaces, which needs root (run as "
            + System.getProperty("user.name")
            + ")");
    assumeTrue(onPath("ip"), "the host tests need iproute2's ip (not on the PATH)");
    assumeTrue(onPath("tc"), "the host tests need iproute2's tc (not on the PATH)");
    Hosts h = new Hosts("jh" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36));
    Runtime.getRuntime().addShutdownHook(h.cleanup);
    try {
      h.make();
    } catch (IOException | RuntimeException e) {
      h.close();
      abort("cannot build the network namespaces: " + e.getMessage());
    }
    return h;
  }

  private void make() throws IOException, InterruptedException {
    for (String ns : List.of(a, r, b)) {
      run("ip", "netns", "add", ns);
      run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    run("ip", "-n", a, "link", "add", "va", "type", "veth", "peer", "name", "ra", "netns", r);
    run("ip", "-n", r, "link", "add", "rb", "type", "veth", "peer", "name", "vb", "netns", b);
    run("ip", "-n", a, "addr", "add", A_IP + "/24", "dev", "va");
    run("ip", "-n", r, "addr", "add", R_IP_A + "/24", "dev", "ra");
    run("ip", "-n", r, "addr", "add", R_IP_B + "/24", "dev", "rb");
    run("ip", "-n", b, "addr", "add", B_IP + "/24", "dev", "vb");
    // One TCP segment per packet, as on a wire: veth would carry 64 KiB GSO packets through R, and
    // a fault would hit 40 segments at once.
    for (String[] dev :
        List.of(
            new String[] {a, "va"},
            new String[] {r, "ra"},
            new String[] {r, "rb"},
            new String[] {b, "vb"})) {
      run("ip", "-n", dev[0], "link", "set", "dev", dev[1], "gso_max_segs", "1");
    }
    run("ip", "-n", a, "link", "set", "va", "up");
    run("ip", "-n", r, "link", "set", "ra", "up");
    run("ip", "-n", r, "link", "set", "rb", "up");
    run("ip", "-n", b, "link", "set", "vb", "up");
    run("ip", "-n", a, "route", "add", "default", "via", R_IP_A);
    run("ip", "-n", b, "route", "add", "default", "via", R_IP_B);
    exec(r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
  }

  /** Cuts the route through R both ways, silently. */
  void partition() throws IOException, InterruptedException {
    run("ip", "-n", r, "rule", "add", "prio", "100", "iif", "ra", "blackhole");
    run("ip", "-n", r, "rule", "add", "prio", "101", "iif", "rb", "blackhole");
  }

  /** Restores the route through R. */
  void heal() throws IOException, InterruptedException {
    run("ip", "-n", r, "rule", "del", "prio", "100");
    run("ip", "-n", r, "rule", "del", "prio", "101");
  }

  /** The nftables table of R's faults; deleting it removes every rule it holds. */
  private static final String FAULTS = "jnet_faults";

  /**
   * Drops a share of the packets R forwards, each way, at random ({@code nft ... numgen random mod
   * 100 < PERCENT counter drop} in a table of R's own), as a lossy link does. Needs {@code nft} and
   * a kernel with {@code nf_tables} and {@code nft_numgen}.
   *
   * @param percent the share to drop, 0 to 100
   */
  void lose(int percent) throws IOException, InterruptedException {
    exec(r, "nft", "add", "table", "inet", FAULTS);
    exec(
        r,
        "nft",
        "add chain inet " + FAULTS + " forward { type filter hook forward priority 0 ; }");
    exec(r, "nft", "add rule inet " + FAULTS + " forward counter");
    exec(
        r,
        "nft",
        "add rule inet "
            + FAULTS
            + " forward numgen random mod 100 < "
            + percent
            + " counter drop");
  }

  /**
   * Returns how many packets R's forward hook saw and how many {@link #lose} dropped, so far (its
   * rules' counters).
   *
   * @return {seen, dropped}
   */
  long[] lossCounters() throws IOException, InterruptedException {
    String rules = exec(r, "nft", "list", "chain", "inet", FAULTS, "forward");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(rules);
    long[] counts = new long[2];
    for (int i = 0; i < 2; i++) {
      if (!m.find()) {
        throw new IOException("no counters in R's rules: " + rules);
      }
      counts[i] = Long.parseLong(m.group(1));
    }
    return counts;
  }

  /**
   * Hands every packet R forwards to netfilter queue 0 ({@code iptables -A FORWARD -j NFQUEUE}),
   * where a {@link HostsDelayLine} in R decides when each one leaves. Start the delay line first:
   * the kernel drops what it queues while no program listens.
   */
  void queueForwarded() throws IOException, InterruptedException {
    exec(r, "iptables", "-A", "FORWARD", "-j", "NFQUEUE", "--queue-num", "0");
  }

  /** Removes what {@link #lose} and {@link #queueForwarded} put in R. */
  void clearFilters() throws IOException, InterruptedException {
    tryRun("ip", "netns", "exec", r, "nft", "delete", "table", "inet", FAULTS);
    tryRun("ip", "netns", "exec", r, "iptables", "-F", "FORWARD");
  }

  /**
   * Puts one {@code tc} qdisc on both of R's interfaces ({@code tbf rate 20mbit ...}).
   *
   * @param qdisc the qdisc and its parameters
   */
  void shape(String... qdisc) throws IOException, InterruptedException {
    for (String dev : List.of("ra", "rb")) {
      List<String> cmd =
          new ArrayList<>(
              List.of("ip", "netns", "exec", r, "tc", "qdisc", "replace", "dev", dev, "root"));
      cmd.addAll(List.of(qdisc));
      run(cmd.toArray(String[]::new));
    }
  }

  /** Removes what {@link #shape} put on R's interfaces. */
  void clearQdiscs() throws IOException, InterruptedException {
    for (String dev : List.of("ra", "rb")) {
      tryRun("ip", "netns", "exec", r, "tc", "qdisc", "del", "dev", dev, "root");
    }
  }

  /**
   * Runs a command in a namespace and returns its output.
   *
   * @param ns the namespace
   * @param cmd the command
   * @return its stdout and stderr
   */
  String exec(String ns, String... cmd) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    all.addAll(List.of(cmd));
    return run(all.toArray(String[]::new));
  }

  /**
   * Returns a process builder for a command in a namespace.
   *
   * @param ns the namespace
   * @param cmd the command
   * @return the builder
   */
  static ProcessBuilder in(String ns, List<String> cmd) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    all.addAll(cmd);
    return new ProcessBuilder(all);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
  }

  private void deleteAll() {
    for (String ns : List.of(a, r, b)) {
      try {
        for (String pid : run("ip", "netns", "pids", ns).split("\\s+")) {
          if (!pid.isBlank()) {
            tryRun("kill", "-9", pid); // only processes of this run's namespaces
          }
        }
        tryRun("ip", "netns", "del", ns); // the veth pairs go with their namespaces
      } catch (IOException | InterruptedException | RuntimeException e) {
        // best effort: the next namespace still goes
      }
    }
  }

  /**
   * Tells whether a tool is on the PATH (or in {@code /usr/sbin}, {@code /sbin}).
   *
   * @param tool its name
   * @return true if it can be run
   */
  static boolean onPath(String tool) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }

  private static boolean tryRun(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
    return out;
  }
}
