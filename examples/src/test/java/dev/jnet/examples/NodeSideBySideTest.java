package dev.jnet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side programs of {@code docs/node-users.md}: each Node script in {@code
 * src/main/node} and the jnet program doing the same thing print the same, line for line.
 */
class NodeSideBySideTest {
  private static final Path NODE_DIR = Path.of("src/main/node").toAbsolutePath();

  private static String node(String script, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(List.of("node", NODE_DIR.resolve(script).toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(Example.WAIT_SECONDS, TimeUnit.SECONDS)).as(script + " finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(script + ": " + out).isZero();
    return out;
  }

  private static String jnet(Class<?> main, String... args) throws Exception {
    try (Example e = Example.start(main, args)) {
      assertThat(e.exitCode()).as(main.getSimpleName() + ": " + e.err()).isZero();
      return e.out();
    }
  }

  private static void assumeNode() {
    boolean ok;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      ok = false;
    }
    assumeTrue(ok, "node is not installed: the Node side cannot run");
  }

  @Test
  void anEchoServerAndItsClient() throws Exception {
    assumeNode();
    assertThat(jnet(QuickStart.class, "tcp://127.0.0.1:0"))
        .isEqualTo(node("quickstart.js", "0"))
        .isEqualTo("hello");
  }

  @Test
  void halfClose() throws Exception {
    assumeNode();
    assertThat(jnet(HalfClose.class))
        .isEqualTo(node("half-close.js"))
        .isEqualTo("got 5 bytes\nserver ended\nclosed, hadError=false\n");
  }

  @Test
  void aRefusedConnection() throws Exception {
    assumeNode();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort(); // closed when the block ends: nothing listens there then
    }
    String p = String.valueOf(port);
    assertThat(jnet(Refused.class, p))
        .isEqualTo(node("refused.js", p))
        .isEqualTo(
            "error ECONNREFUSED connect: connect ECONNREFUSED 127.0.0.1:"
                + port
                + "\nclose hadError=true\n");
  }
}
