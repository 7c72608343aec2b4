package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.cli.spec.ExitCodes;
import org.junit.jupiter.api.Test;

/**
 * {@code jnet bench} as a separate process against {@code jnet echo} and a Node echo server,
 * briefly.
 */
class BenchIT extends SpawningTest {
  @Test
  void allThreeRunsReportAgainstJnetEchoAsJson() throws Exception {
    String endpoint = echoServer();
    Spawned bench =
        spawn(
            Spawned.jnet(
                "bench", "--format", "json", "--duration", "300ms", "--requests", "200", endpoint));
    assertThat(bench.awaitExit(WAIT)).as(bench.stderr()).isZero();
    assertThat(bench.stdout())
        .startsWith("{\"endpoint\":\"" + endpoint + "\",\"engine\":\"")
        .containsPattern("\"throughput\":\\{\"mibPerSec\":[1-9][0-9.]*,\"bytes\":[1-9]")
        .containsPattern(
            "\"latency\":\\{\"requests\":200,\"size\":64,\"p50us\":[0-9.]+,\"p90us\":[0-9.]+,"
                + "\"p99us\":[0-9.]+,\"p999us\":[0-9.]+,\"maxUs\":[0-9.]+}")
        .containsPattern("\"connect\":\\{\"perSec\":[1-9][0-9.]*,\"connections\":[1-9]");
  }

  @Test
  void latencyAgainstANodeEchoOverAUnixSocketAsText() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    String path = dir.resolve("node-echo.sock").toString();
    Spawned node =
        spawn(
            Spawned.node(
                """
        const srv = require('net').createServer(s => s.pipe(s));
        srv.listen(process.argv[1], () => console.log('ready'));
        """,
                path));
    node.awaitStdout("ready", WAIT);
    Spawned bench =
        spawn(Spawned.jnet("bench", "--only", "latency", "--requests", "300", "unix:" + path));
    assertThat(bench.awaitExit(WAIT)).as(bench.stderr()).isZero();
    assertThat(bench.stdout())
        .startsWith("bench unix:" + path + " (")
        .containsPattern(
            "latency +p50 [0-9.]+us  p90 [0-9.]+us  p99 [0-9.]+us  p99\\.9 [0-9.]+us  max [0-9.]+us"
                + "  \\(300 x 64 bytes\\)")
        .doesNotContain("throughput", "conn/s");
  }

  @Test
  void nothingListeningExitsThree() throws Exception {
    Spawned bench = spawn(Spawned.jnet("bench", "tcp://127.0.0.1:" + ClosedPort.find()));
    assertThat(bench.awaitExit(WAIT)).isEqualTo(ExitCodes.REFUSED);
    assertThat(bench.stderr()).startsWith("jnet: connect ECONNREFUSED").hasLineCount(1);
  }
}
