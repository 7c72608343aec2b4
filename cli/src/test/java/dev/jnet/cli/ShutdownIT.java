package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.system.Signals;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A long-running server forgets the connections it finished, and exits promptly on SIGTERM: within
 * a second when idle, within its grace period ({@link Signals#GRACE}) when connections are open,
 * however many it served.
 */
class ShutdownIT extends SpawningTest {
  private static final Duration IDLE_EXIT = Duration.ofSeconds(1);
  private static final int SERVED = 300;
  private static final Pattern DEFAULT_SOCKETS =
      Pattern.compile(
          "^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+dev\\.jnet\\.internal\\.DefaultSocket\\s*$",
          Pattern.MULTILINE);

  @ParameterizedTest
  @ValueSource(strings = {"echo", "relay", "listen -k", "recv"})
  void anIdleServerExitsWithinASecondOfSigterm(String command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add(args.get(0).equals("relay") ? "listen:tcp://127.0.0.1:0" : "tcp://127.0.0.1:0");
    if (args.get(0).equals("relay")) {
      args.add("tcp://127.0.0.1:" + ClosedPort.find());
    }
    Spawned server = spawn(Spawned.jnet(args.toArray(String[]::new)));
    listening(server);
    assertThat(timeToExitAfterSigterm(server)).as(server.stderr()).isLessThan(IDLE_EXIT);
  }

  @Test
  void aRelayKeepsNoSocketOfAFinishedConnectionAndExitsAtOnceAfterServingMany() throws Exception {
    String echo = echoServer();
    Spawned relay = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", echo));
    InetSocketAddress at = TcpPeer.address(listening(relay));
    for (int i = 1; i <= SERVED; i++) {
      assertThat(TcpPeer.roundTrip(at, "hello " + i, WAIT)).isEqualTo("hello " + i);
    }
    for (int i = 1; i <= SERVED; i++) {
      relay.awaitStderr("#" + i + " done in=", WAIT);
    }
    assertThat(liveSockets(relay.pid()))
        .as("live DefaultSocket objects after %d connections", SERVED)
        .isLessThanOrEqualTo(2);
    assertThat(timeToExitAfterSigterm(relay)).as(relay.stderr()).isLessThan(IDLE_EXIT);
  }

  @Test
  void aServerWithOpenConnectionsExitsWithinItsGracePeriod() throws Exception {
    Spawned echo = spawn(Spawned.jnet("echo", "tcp://127.0.0.1:0"));
    InetSocketAddress at = TcpPeer.address(listening(echo));
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 1; i <= 5; i++) {
        Socket s = new Socket(at.getAddress(), at.getPort());
        clients.add(s);
        echo.awaitStderr("#" + i + " accept", WAIT);
      }
      assertThat(timeToExitAfterSigterm(echo))
          .as(echo.stderr())
          .isLessThan(Signals.GRACE.plus(IDLE_EXIT));
      for (Socket s : clients) {
        s.setSoTimeout((int) WAIT.toMillis());
        assertThat(s.getInputStream().read()).as("the client sees the close").isEqualTo(-1);
      }
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
  }

  private Duration timeToExitAfterSigterm(Spawned server) throws Exception {
    long start = System.nanoTime();
    server.signal("TERM");
    int code = server.awaitExit(WAIT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(code).as(server.stderr()).isZero();
    return took;
  }

  /**
   * Counts the reachable DefaultSocket objects in a process (the histogram runs a full GC first).
   */
  private static int liveSockets(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String histogram;
    try (InputStream in = p.getInputStream()) {
      histogram = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(histogram).isZero();
    assertThat(histogram).as("a class histogram").contains("java.lang.String");
    Matcher m = DEFAULT_SOCKETS.matcher(histogram);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
