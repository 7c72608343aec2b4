package dev.jnet.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jnet connect} as a separate process, against Node servers that behave in chosen ways. */
@Timeout(90)
class ConnectIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeEach
  void needsNode() {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
  }

  private Spawned nodeOutput;

  /**
   * Runs a Node server (a script that defines {@code onConnection(socket)}) and returns its port.
   */
  private String nodeServer(String onConnection, boolean allowHalfOpen)
      throws InterruptedException {
    String script =
        "const net = require('net');\n"
            + onConnection
            + "\n"
            + "const server = net.createServer({allowHalfOpen: "
            + allowHalfOpen
            + "}, onConnection);\n"
            + "server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));\n";
    Spawned node = spawn(Spawned.node(script));
    nodeOutput = node;
    return node.awaitStdout("port (\\d+)\\R", WAIT).group(1);
  }

  private Path stdinFile(String text) throws Exception {
    return Files.writeString(dir.resolve("stdin.txt"), text);
  }

  @Test
  void aReplySentTwoSecondsAfterOurEofIsPrintedInFull() throws Exception {
    String port =
        nodeServer(
            """
        function onConnection(s) {
          let n = 0;
          s.on('data', d => n += d.length);
          s.on('end', () => setTimeout(() => {
            s.write('received ' + n + ' bytes\\n');
            s.end(Buffer.alloc(200000, 'z'));
          }, 2000));
        }
        """,
            true);
    String request = "hello over a half-closed socket\n";
    long start = System.nanoTime();

    Spawned connect =
        spawn(
            Spawned.jnet("connect", "tcp://127.0.0.1:" + port)
                .redirectInput(stdinFile(request).toFile()));

    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
    assertThat(new String(connect.stdoutBytes(), UTF_8))
        .isEqualTo("received " + request.length() + " bytes\n" + "z".repeat(200000));
    assertThat(connect.stderr()).isEmpty();
  }

  @Test
  void whenTheLingerExpiresItSaysSoAndExitsFive() throws Exception {
    String port =
        nodeServer(
            """
        function onConnection(s) {
          s.write('partial\\n');
          s.resume(); // reads our bytes and our EOF, and never ends its own side
        }
        """,
            true);

    Spawned connect =
        spawn(
            Spawned.jnet("connect", "--linger", "500ms", "tcp://127.0.0.1:" + port)
                .redirectInput(stdinFile("x\n").toFile()));

    assertThat(connect.awaitExit(WAIT)).isEqualTo(5);
    assertThat(connect.stdout()).isEqualTo("partial\n");
    assertThat(connect.stderr())
        .isEqualTo(
            "jnet: linger 500ms expired: 127.0.0.1:"
                + port
                + " did not end its side after the end of stdin; the output may be incomplete\n");
  }

  @Test
  void whenThePeerEndsFirstItPrintsWhatArrivedAndExitsZero() throws Exception {
    String port = nodeServer("function onConnection(s) { s.end('bye\\n'); }", false);

    Spawned connect = spawn(Spawned.jnet("connect", "tcp://127.0.0.1:" + port)); // stdin stays open

    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    assertThat(connect.stdout()).isEqualTo("bye\n");
  }

  @Test
  void stdinStillFlowingWhenThePeerEndsFirstIsSentWhole() throws Exception {
    // The server says its piece and half-closes at once, then counts what arrives: connect used to
    // end its side
    // with the peer's end and exit 0 with most of its stdin unsent.
    String port =
        nodeServer(
            """
        const crypto = require('crypto');
        function onConnection(s) {
          const h = crypto.createHash('sha256');
          let n = 0;
          s.end('hello\\n');
          s.on('data', d => { h.update(d); n += d.length; });
          s.on('end', () => console.log('got ' + n + ' ' + h.digest('hex')));
        }
        """,
            true);
    byte[] data = new byte[4 << 20];
    new java.util.SplittableRandom(4).nextBytes(data);
    Path in = Files.write(dir.resolve("in.bin"), data);

    Spawned connect =
        spawn(Spawned.jnet("connect", "tcp://127.0.0.1:" + port).redirectInput(in.toFile()));

    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    assertThat(connect.stdout()).isEqualTo("hello\n");
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(nodeOutput.awaitStdout("got (\\d+ \\w+)\\R", WAIT).group(1))
        .isEqualTo(data.length + " " + sha);
  }

  @Test
  void stdinLeftUnsentBecauseThePeerClosedIsAnErrorNotExitZero() throws Exception {
    String port = nodeServer("function onConnection(s) { s.end('bye\\n'); s.destroy(); }", true);
    byte[] data = new byte[8 << 20];
    Path in = Files.write(dir.resolve("in.bin"), data);

    Spawned connect =
        spawn(Spawned.jnet("connect", "tcp://127.0.0.1:" + port).redirectInput(in.toFile()));

    assertThat(connect.awaitExit(WAIT))
        .as("8 MiB could not all be sent: " + connect.stderr())
        .isEqualTo(7);
    assertThat(connect.stderr()).matches("jnet: \\w+ (EPIPE|ECONNRESET).*\\R");
  }

  @Test
  void stdinReachesTheServerByteForByte() throws Exception {
    String port =
        nodeServer(
            """
        const crypto = require('crypto');
        function onConnection(s) {
          const h = crypto.createHash('sha256');
          let n = 0;
          s.on('data', d => { h.update(d); n += d.length; });
          s.on('end', () => s.end(n + ' ' + h.digest('hex') + '\\n'));
        }
        """,
            true);
    byte[] data = new byte[3 << 20];
    new java.util.SplittableRandom(3).nextBytes(data);
    Path in = Files.write(dir.resolve("in.bin"), data);

    Spawned connect =
        spawn(Spawned.jnet("connect", "tcp://127.0.0.1:" + port).redirectInput(in.toFile()));

    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(connect.stdout()).isEqualTo(data.length + " " + sha + "\n");
  }

  @Test
  void aPeerResetIsOneLineAndExitCodeSeven() throws Exception {
    String port =
        nodeServer("function onConnection(s) { s.on('data', () => s.resetAndDestroy()); }", true);

    Spawned connect = spawn(Spawned.jnet("connect", "tcp://127.0.0.1:" + port)); // stdin stays open
    connect.stdin().write("trigger\n".getBytes(UTF_8));
    connect.stdin().flush();

    assertThat(connect.awaitExit(WAIT)).isEqualTo(7);
    assertThat(connect.stderr()).matches("jnet: \\w+ ECONNRESET.*\\R").hasLineCount(1);
  }

  @Test
  void nothingListeningIsEconnrefusedAndExitCodeThree() throws Exception {
    int port = ClosedPort.find();

    Spawned connect = spawn(Spawned.jnet("connect", "tcp://127.0.0.1:" + port));

    assertThat(connect.awaitExit(WAIT)).isEqualTo(3);
    assertThat(connect.stderr()).isEqualTo("jnet: connect ECONNREFUSED 127.0.0.1:" + port + "\n");
    assertThat(connect.stdout()).isEmpty();
  }

  @Test
  void aBadEndpointIsAUsageErrorWithTheGrammarAndExitCodeTwo() throws Exception {
    Spawned connect = spawn(Spawned.jnet("connect", "localhost:7000"));

    assertThat(connect.awaitExit(WAIT)).isEqualTo(2);
    assertThat(connect.stderr())
        .startsWith(
            "jnet: invalid endpoint 'localhost:7000': unknown scheme (expected "
                + Endpoint.GRAMMAR
                + ")\n")
        .contains("Usage: jnet connect ");
    assertThat(connect.stdout()).isEmpty();
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() throws Exception {
    Spawned help = spawn(Spawned.jnet("--help"));

    assertThat(help.awaitExit(WAIT)).isZero();
    assertThat(help.stdout())
        .startsWith("Usage: jnet [-hV] COMMAND\n")
        .contains("  connect  ", "  echo  ", "Exit codes:", "  130   interrupted (SIGINT)");
  }
}
