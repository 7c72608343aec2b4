package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jnet echo} as a separate process, against {@code jnet connect} and Node clients. */
@Timeout(90)
class EchoIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Starts {@code jnet echo} on a free port and returns it with its real endpoint. */
  private Spawned startEcho() throws InterruptedException {
    return spawn(Spawned.jnet("echo", "tcp://127.0.0.1:0"));
  }

  private static String endpointOf(Spawned echo) throws InterruptedException {
    return echo.awaitStderr("listening on (tcp://127\\.0\\.0\\.1:(\\d+))\\R", WAIT).group(1);
  }

  @Test
  void portZeroIsReportedAsTheRealPort() throws Exception {
    Spawned echo = startEcho();
    String endpoint = endpointOf(echo);
    assertThat(endpoint).doesNotEndWith(":0");
  }

  @Test
  void oneMibOfRandomBytesComesBackThroughConnectByteForByte(@TempDir Path dir) throws Exception {
    byte[] data = new byte[1 << 20];
    new SplittableRandom(42).nextBytes(data);
    Path in = Files.write(dir.resolve("in.bin"), data);
    Path out = dir.resolve("out.bin");
    Spawned echo = startEcho();
    String endpoint = endpointOf(echo);

    Spawned connect =
        spawn(
            Spawned.jnet("connect", endpoint)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile()));

    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    assertThat(Files.mismatch(in, out)).as("first differing byte").isEqualTo(-1L);
    assertThat(connect.stderr()).isEmpty();
    echo.awaitStderr("#1 close 127\\.0\\.0\\.1:\\d+ in=1048576 out=1048576 time=\\d+ms\\R", WAIT);
    assertThat(echo.stderr()).contains("#1 accept 127.0.0.1:").doesNotContain("LEAK", "error=");
  }

  @Test
  void concurrentNodeClientsEachGetTheirOwnBytesBackAfterTheirHalfClose() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    Spawned echo = startEcho();
    String port = endpointOf(echo).replaceAll(".*:", "");
    String script =
        """
        const net = require('net');
        const [port, clients, size] = process.argv.slice(1).map(Number);
        let pending = clients;
        for (let c = 0; c < clients; c++) {
          const sent = Buffer.alloc(size, c + 1);
          const got = [];
          const s = net.connect(port, '127.0.0.1', () => s.end(sent));
          s.on('data', d => got.push(d));
          s.on('end', () => {
            const back = Buffer.concat(got);
            if (!back.equals(sent)) { console.log('client ' + c + ' got ' + back.length + ' bytes'); process.exit(1); }
            if (--pending === 0) console.log('all ' + clients + ' ok');
          });
          s.on('error', e => { console.log('client ' + c + ': ' + e.code); process.exit(1); });
        }
        """;
    Spawned node = spawn(Spawned.node(script, port, "8", Integer.toString(256 * 1024)));

    assertThat(node.awaitExit(WAIT)).as(node.stdout() + node.stderr()).isZero();
    assertThat(node.stdout()).isEqualTo("all 8 ok\n");
    for (int id = 1; id <= 8; id++) {
      echo.awaitStderr(
          "#" + id + " close 127\\.0\\.0\\.1:\\d+ in=262144 out=262144 time=\\d+ms\\R", WAIT);
    }
  }

  @Test
  void sigtermShutsDownWithExitZero() throws Exception {
    Spawned echo = startEcho();
    endpointOf(echo);
    echo.signal("TERM");
    assertThat(echo.awaitExit(WAIT)).isZero();
    assertThat(echo.stderr()).endsWith("jnet: SIGTERM: closing the server and 0 connection(s)\n");
  }

  @Test
  void sigintExitsWith130AndClosesOpenConnections() throws Exception {
    Spawned echo = startEcho();
    String endpoint = endpointOf(echo);
    Spawned connect =
        spawn(Spawned.jnet("connect", endpoint)); // stdin stays open: the connection idles
    connect.stdin().write("ping\n".getBytes());
    connect.stdin().flush();
    connect.awaitStdout("ping\n", WAIT);

    echo.signal("INT");

    assertThat(echo.awaitExit(WAIT)).isEqualTo(130);
    assertThat(echo.stderr())
        .contains("jnet: SIGINT: closing the server and 1 connection(s)\n")
        .containsPattern("#1 close 127\\.0\\.0\\.1:\\d+ in=5 out=5 time=\\d+ms\\R");
    assertThat(connect.awaitExit(WAIT)).as("the client sees EOF and ends").isZero();
  }

  @Test
  void anAddressInUseIsOneLineAndExitCodeEight() throws Exception {
    Spawned first = startEcho();
    String endpoint = endpointOf(first);
    Spawned second = spawn(Spawned.jnet("echo", endpoint));

    assertThat(second.awaitExit(WAIT)).isEqualTo(8);
    assertThat(second.stderr())
        .isEqualTo(
            "jnet: listen EADDRINUSE: address already in use " + endpoint.substring(6) + "\n");
  }
}
