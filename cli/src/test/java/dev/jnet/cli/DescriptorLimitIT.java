package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server out of descriptors says so once per burst, and serves again once descriptors are freed.
 */
class DescriptorLimitIT extends SpawningTest {
  /** Enough for the JVM's own files and a few dozen connections. */
  private static final int NOFILE = 48;

  private static final int CLIENTS = 60;
  private static final String EMFILE = "accept EMFILE";

  @Test
  void aServerOutOfDescriptorsLogsOncePerBurstAndServesAgain() throws Exception {
    assumeTrue(prlimitWorks(), "prlimit(1) is not available");
    List<String> cmd = new ArrayList<>(List.of("prlimit", "--nofile=" + NOFILE + ":" + NOFILE));
    cmd.addAll(Spawned.jnet("echo", "tcp://127.0.0.1:0").command());
    Spawned echo = spawn(new ProcessBuilder(cmd));
    InetSocketAddress at = TcpPeer.address(listening(echo));
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(new Socket(at.getAddress(), at.getPort()));
      }
      echo.awaitStderr(
          "jnet: "
              + EMFILE
              + " tcp://\\S+: too many open files; new connections wait in the backlog",
          WAIT);
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
    echo.awaitStderr("accepts again, after \\d+ failed accept\\(s\\)", WAIT);
    assertThat(echo.stderr().split(EMFILE, -1)).as(echo.stderr()).hasSize(2);
    assertThat(TcpPeer.roundTrip(at, "still serving", WAIT)).isEqualTo("still serving");
  }

  private static boolean prlimitWorks() throws Exception {
    try {
      Process p = new ProcessBuilder("prlimit", "--nofile=64:64", "true").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
