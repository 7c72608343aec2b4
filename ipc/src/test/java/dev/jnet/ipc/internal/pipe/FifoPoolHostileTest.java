package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.ipc.OtherUid;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The FIFO pairs a client makes ahead of use ({@link FifoPool}) against the attacker of the threat
 * model: another uid can neither open, replace nor add to them; a replaced pair is never used; a
 * client that crashes leaves pairs the server reclaims while it listens; one that exits cleanly
 * leaves none.
 */
class FifoPoolHostileTest extends ContractSupport {
  /** As uid 65534: tries to open, unlink and plant the FIFOs named in argv; prints successes. */
  private static final String STEAL =
      String.join(
          "\n",
          "import os, sys",
          "d, names, won = sys.argv[1], sys.argv[2:], []",
          "for n in names:",
          "    p = os.path.join(d, n)",
          "    for how in (os.O_WRONLY | os.O_NONBLOCK, os.O_RDONLY | os.O_NONBLOCK):",
          "        try: os.close(os.open(p, how)); won.append('open ' + n)",
          "        except OSError: pass",
          "    try: os.unlink(p); won.append('unlink ' + n)",
          "    except OSError: pass",
          "try: os.mkfifo(os.path.join(d, 'planted.up')); won.append('mkfifo')",
          "except OSError: pass",
          "print('GOT %d %s' % (len(won), ','.join(won)), flush=True)");

  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }

  @AfterEach
  void restore() {
    System.clearProperty("jnet.pipe.leftoverMs");
    FifoPool.SHARED.clear();
  }

  @Test
  void anotherUidCanNeitherOpenNorReplaceAPairMadeAhead() throws Exception {
    OtherUid.assumeAvailable();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        NativeFifo.available(),
        "pairs are made ahead only without NativeFifo (the pipe-portable execution runs this)");
    Path dir = echoServer();
    connectAndClose(dir);
    connectAndClose(dir); // a second connect in a row: the pool makes more than one pair
    List<String> pooled = pairs(dir);
    assertThat(pooled).as("pairs made ahead in " + dir).isNotEmpty();
    try (OtherUid nobody = OtherUid.python(STEAL, concat(dir.toString(), pooled))) {
      assertThat(nobody.expect("GOT")).as("what uid 65534 managed").isEqualTo("GOT 0 ");
    }
    Socket s = connect(new Endpoint.Pipe(dir.toString()), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(s);
    s.write("ping");
    events.awaitBytes(4, WAIT);
    assertThat(new String(events.data(), StandardCharsets.US_ASCII)).isEqualTo("ping");
  }

  @Test
  void aPairThatIsNoLongerThisProcesssOwnFifoIsNeverTaken() throws Exception {
    OtherUid.assumeAvailable(); // chown to another uid needs root
    org.junit.jupiter.api.Assumptions.assumeFalse(
        NativeFifo.available(),
        "pairs are made ahead only without NativeFifo (the pipe-portable execution runs this)");
    Path dir = Files.createTempDirectory("jnet-pool");
    FifoPool pool = new FifoPool(() -> 60_000);
    try {
      pool.take(dir);
      FifoPool.Pair second = pool.take(dir); // sustained: a batch of two, one left in stock
      assertThat(pool.stocked(dir)).isEqualTo(1);
      Path stocked =
          pairs(dir).stream()
              .filter(n -> n.endsWith(".up") && !n.startsWith(second.id()))
              .map(dir::resolve)
              .findFirst()
              .orElseThrow();
      Files.setAttribute(stocked, "unix:uid", OtherUid.NOBODY, LinkOption.NOFOLLOW_LINKS);
      FifoPool.Pair third = pool.take(dir);
      assertThat(third.up()).as("the replaced pair is skipped").isNotEqualTo(stocked);
      assertThat(Files.getAttribute(third.up(), "unix:uid", LinkOption.NOFOLLOW_LINKS))
          .isEqualTo(PipeTrust.euid());
      assertThat(stocked).as("left to its new owner, not deleted by name").exists();
    } finally {
      pool.clear();
      new ProcessBuilder("rm", "-rf", "--", dir.toString()).start().waitFor();
    }
  }

  @Test
  void theServerReclaimsThePairsOfAClientThatCrashed() throws Exception {
    System.setProperty("jnet.pipe.leftoverMs", "1000"); // this server reclaims after 1 s
    Path dir = echoServer();
    Process child = child(dir, 8_000); // the child uses its pairs for 2 s
    try {
      String stocked = firstLine(child);
      assertThat(stocked).startsWith("STOCKED ").isNotEqualTo("STOCKED 0");
      child.destroyForcibly(); // SIGKILL: no shutdown hook
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pairs(dir)).as("what the crash left").isNotEmpty();
      awaitNoPairs(dir);
      assertThat(pairs(dir)).as("reclaimed while the server listens").isEmpty();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aClientThatExitsCleanlyLeavesNoPairBehind() throws Exception {
    Path dir = echoServer(); // default leftover deadline: only the client's own exit can clean
    Process child = child(dir, 40_000);
    try {
      assertThat(firstLine(child)).startsWith("STOCKED ").isNotEqualTo("STOCKED 0");
      child.getOutputStream().write("EXIT\n".getBytes(StandardCharsets.US_ASCII));
      child.getOutputStream().flush();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
      assertThat(pairs(dir)).as("left behind by a clean exit").isEmpty();
    } finally {
      child.destroyForcibly();
    }
  }

  private Path echoServer() {
    Path dir = PipeFixture.freshDir();
    Server server = createServer(ServerOptions.defaults(), s -> s.pipe(s));
    await(server.listen(new Endpoint.Pipe(dir.toString())));
    return dir;
  }

  private void connectAndClose(Path dir) throws Exception {
    Socket s = connect(new Endpoint.Pipe(dir.toString()), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(s);
    events.await("connect", WAIT);
    s.destroy();
    events.awaitClose();
  }

  private static Process child(Path dir, long leftoverMs) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-Djnet.transport=" + dev.jnet.Net.engine(),
                "-Djnet.pipe.leftoverMs=" + leftoverMs,
                "-cp",
                System.getProperty("java.class.path"),
                PoolChild.class.getName(),
                dir.toString()));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String firstLine(Process p) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String l = r.readLine(); // bounded by the test's timeout and the child's own 10 s waits
    assertThat(l).as("the child's report").isNotNull();
    return l;
  }

  private static void awaitNoPairs(Path dir) throws Exception {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      dir.register(watch, StandardWatchEventKinds.ENTRY_DELETE);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!pairs(dir).isEmpty() && System.nanoTime() < deadline) {
        WatchKey key = watch.poll(100, TimeUnit.MILLISECONDS); // a deletion, or a bounded tick
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }

  private static List<String> pairs(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".up") || n.endsWith(".down"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static String[] concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all.toArray(String[]::new);
  }
}
