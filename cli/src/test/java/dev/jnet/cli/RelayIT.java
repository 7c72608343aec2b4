package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code jnet relay} as a separate process between {@code jnet connect}, {@code jnet echo} and
 * stream ends.
 */
class RelayIT extends SpawningTest {
  private Spawned connect(String endpoint, String text) throws Exception {
    return spawn(Spawned.jnet("connect", endpoint).redirectInput(file(text)));
  }

  @Test
  void aListeningRelayForwardsEachConnectionAndDumpsBothDirections() throws Exception {
    String echo = echoServer();
    Spawned relay = spawn(Spawned.jnet("relay", "--dump", "listen:" + sockPath("r.sock"), echo));
    listening(relay);
    Spawned c = connect(sockPath("r.sock"), "through the relay\n");
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isZero();
    assertThat(c.stdout()).isEqualTo("through the relay\n");
    relay.awaitStdout("#1 > \\S+ off=0 len=18 \"through the relay\\\\n\"", WAIT);
    relay.awaitStdout("#1 < \\S+ off=0 len=18 \"through the relay\\\\n\"", WAIT);
    relay.awaitStdout("#1 \\* \\S+ end A ended its side", WAIT);
    Spawned second = connect(sockPath("r.sock"), "again\n");
    assertThat(second.awaitExit(WAIT)).isZero();
    relay.awaitStdout("#2 < \\S+ off=0 len=6 \"again\\\\n\"", WAIT);
  }

  @Test
  void execGetsTheHalfCloseAndItsOutputIsReadToTheEnd() throws Exception {
    Spawned relay = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", "exec:tr a-z A-Z"));
    String endpoint = listening(relay);
    Spawned c = connect(endpoint, "shout\n");
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isZero();
    assertThat(c.stdout()).isEqualTo("SHOUT\n");
  }

  @Test
  void stdioToASocketBehavesLikeConnect() throws Exception {
    String echo = echoServer();
    Spawned relay = spawn(Spawned.jnet("relay", "-", echo).redirectInput(file("stdio\n")));
    assertThat(relay.awaitExit(WAIT)).as(relay.stderr()).isZero();
    assertThat(relay.stdout()).isEqualTo("stdio\n");
  }

  @Test
  void fileAndFifoEndsReceiveWhatArrives() throws Exception {
    Path fifo = dir.resolve("cmd.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Spawned reader = spawn(new ProcessBuilder("cat", fifo.toString()));
    Spawned toFifo = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", "fifo:" + fifo));
    assertThat(connect(listening(toFifo), "reload\n").awaitExit(WAIT)).isZero();
    assertThat(reader.awaitExit(WAIT)).isZero();
    assertThat(reader.stdout()).isEqualTo("reload\n");

    Path capture = dir.resolve("capture.bin");
    Spawned toFile = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", "file:" + capture));
    assertThat(connect(listening(toFile), "upload\n").awaitExit(WAIT)).isZero();
    toFile.awaitStderr("#1 done in=7", WAIT);
    assertThat(Files.readString(capture)).isEqualTo("upload\n");
  }

  @Test
  void aFifoAsTheFirstEndIsReadAndItsEndPassedOn() throws Exception {
    Path fifo = dir.resolve("in.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Spawned recv = spawn(Spawned.jnet("recv", "tcp://127.0.0.1:0"));
    String endpoint = listening(recv);
    Spawned relay = spawn(Spawned.jnet("relay", "fifo:" + fifo, endpoint));
    Spawned writer =
        spawn(new ProcessBuilder("sh", "-c", "printf 'reload\\n' > \"$0\"", fifo.toString()));
    assertThat(writer.awaitExit(WAIT)).isZero();
    assertThat(recv.awaitExit(WAIT)).as(recv.stderr()).isZero();
    assertThat(recv.stdout()).isEqualTo("reload\n");
    assertThat(relay.awaitExit(WAIT)).as(relay.stderr()).isZero();
  }

  @Test
  void aRefusedSecondEndExitsThree() throws Exception {
    Spawned relay =
        spawn(
            Spawned.jnet("relay", "-", "tcp://127.0.0.1:" + ClosedPort.find())
                .redirectInput(file("x")));
    assertThat(relay.awaitExit(WAIT)).isEqualTo(ExitCodes.REFUSED);
    assertThat(relay.stderr()).startsWith("jnet: connect ECONNREFUSED").hasLineCount(1);
  }

  @Test
  void aListeningRelayStartsNoThreadPerConnection() throws Exception {
    // CompletableFuture.runAsync without an executor starts a thread per call on a machine of fewer
    // than three cores: the relay did that for every connection
    String echo = echoServer();
    Spawned relay = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", echo));
    String[] hostPort = listening(relay).substring("tcp://".length()).split(":");
    roundTrip(hostPort);
    long before = threadsStarted(relay);
    int n = 40;
    for (int i = 0; i < n; i++) {
      roundTrip(hostPort);
    }
    assertThat(threadsStarted(relay) - before)
        .as("threads the relay started for %d connections", n)
        .isLessThan(5);
  }

  private static void roundTrip(String[] hostPort) throws Exception {
    try (java.net.Socket s = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream().write('x');
      assertThat(s.getInputStream().read()).as("the echo through the relay").isEqualTo('x');
    }
  }

  /** The JVM's own count of threads it ever started ({@code java.threads.started}), via jcmd. */
  private static long threadsStarted(Spawned jvm) throws Exception {
    java.nio.file.Path jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "PerfCounter.print")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("java\\.threads\\.started=(\\d+)").matcher(out);
    assertThat(m.find()).as("jcmd PerfCounter.print: %s", out).isTrue();
    return Long.parseLong(m.group(1));
  }
}
