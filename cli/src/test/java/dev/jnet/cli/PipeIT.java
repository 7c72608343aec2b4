package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jnet echo} and {@code jnet connect} over {@code pipe:} (FIFOs), and raw {@code fifo:}
 * ends, as processes.
 */
@Timeout(60)
class PipeIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private Spawned echo(String endpoint) throws InterruptedException {
    Spawned echo = spawn(Spawned.jnet("echo", endpoint));
    echo.awaitStderr("listening on " + java.util.regex.Pattern.quote(endpoint) + "\\R", WAIT);
    return echo;
  }

  private byte[] roundTrip(String endpoint, byte[] data, String... options) throws Exception {
    Path in = Files.write(dir.resolve("in-" + System.nanoTime()), data);
    String[] args = new String[options.length + 2];
    args[0] = "connect";
    System.arraycopy(options, 0, args, 1, options.length);
    args[args.length - 1] = endpoint;
    Spawned connect = spawn(Spawned.jnet(args).redirectInput(in.toFile()));
    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    return connect.stdoutBytes();
  }

  @Test
  void echoAndConnectTalkOverAPipeDirectory() throws Exception {
    String endpoint = "pipe:" + dir.resolve("svc");
    Spawned echo = echo(endpoint);
    assertThat(
            new String(
                roundTrip(endpoint, "hello over FIFOs\n".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
        .isEqualTo("hello over FIFOs\n");
    // the shaded jar loads junixsocket's native library (it finds it through the jar's
    // pom.properties), so the
    // FIFOs run on the epoll loop rather than falling back to threads with a warning
    assertThat(echo.stderr()).doesNotContain("UnsatisfiedLinkError", "falls back");
  }

  @Test
  void aMegabyteComesBackIntactAndTwoClientsInARowAreServed() throws Exception {
    String endpoint = "pipe:" + dir.resolve("bulk");
    echo(endpoint);
    byte[] data = new byte[1 << 20];
    new Random(42).nextBytes(data);
    assertThat(roundTrip(endpoint, data)).isEqualTo(data);
    assertThat(roundTrip(endpoint, "again\n".getBytes(StandardCharsets.UTF_8), "--format", "text"))
        .asString(StandardCharsets.UTF_8)
        .contains("again");
  }

  @Test
  void connectingWhereNoPipeServerExistsExitsThreeWithENOENT() throws Exception {
    Spawned connect = spawn(Spawned.jnet("connect", "pipe:" + dir.resolve("nobody")));
    connect.stdin().close();
    assertThat(connect.awaitExit(WAIT)).isEqualTo(ExitCodes.REFUSED);
    assertThat(connect.stderr()).startsWith("jnet: ").contains("ENOENT").hasLineCount(1);
  }

  @Test
  void aSecondServerOnALivePipeExitsEight() throws Exception {
    String endpoint = "pipe:" + dir.resolve("taken");
    echo(endpoint);
    Spawned second = spawn(Spawned.jnet("echo", endpoint));
    assertThat(second.awaitExit(WAIT)).isEqualTo(ExitCodes.ADDRESS_IN_USE);
    assertThat(second.stderr()).startsWith("jnet: ").contains("EADDRINUSE").hasLineCount(1);
  }

  @Test
  void aFifoCreatedOnRequestCarriesACommandToAPipeServer() throws Exception {
    // fifo:PATH?create as the first end: jnet makes the FIFO, reads what a writer puts in, and
    // passes it on
    Spawned recv = spawn(Spawned.jnet("recv", "pipe:" + dir.resolve("sink")));
    recv.awaitStderr("listening on ", WAIT);
    Path fifo = dir.resolve("cmd.fifo");
    Spawned relay =
        spawn(Spawned.jnet("relay", "fifo:" + fifo + "?create", "pipe:" + dir.resolve("sink")));
    awaitFifo(fifo);
    Spawned writer =
        spawn(new ProcessBuilder("sh", "-c", "printf 'reload\\n' > \"$0\"", fifo.toString()));
    assertThat(writer.awaitExit(WAIT)).isZero();
    assertThat(recv.awaitExit(WAIT)).as(recv.stderr()).isZero();
    assertThat(recv.stdout()).isEqualTo("reload\n");
    assertThat(relay.awaitExit(WAIT)).as(relay.stderr()).isZero();
  }

  private static void awaitFifo(Path fifo) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(fifo)) {
      assertThat(System.nanoTime()).as("the relay made " + fifo).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
