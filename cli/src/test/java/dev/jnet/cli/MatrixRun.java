package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs one cell of {@link CliByteExactnessIT}: starts the processes of its scenario, waits for each
 * to exit and checks that every one exits 0; the caller then compares what arrived with what was
 * sent.
 */
final class MatrixRun {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final CliByteExactnessIT test;
  private final Matrix.Cell cell;
  private final Path in;
  private final Path out;

  MatrixRun(CliByteExactnessIT test, Matrix.Cell cell, Path in, Path out) {
    this.test = test;
    this.cell = cell;
    this.in = in;
    this.out = out;
  }

  void run() throws Exception {
    switch (cell.scenario()) {
      case SEND_RECV -> sendRecv();
      case CONNECT_TO_LISTEN -> connectToListen();
      case LISTEN_TO_CONNECT -> listenToConnect();
      case RELAY_ACCEPTS -> relayAccepts();
      case RELAY_CONNECTS -> relayConnects();
      case RELAY_TO_FILE -> relayToFile();
      case RELAY_TO_EXEC -> relayToExec();
      case FIFO_RELAY -> fifoRelay();
      default -> throw new IllegalStateException(cell.toString());
    }
  }

  /** A fresh endpoint of the cell's transport to listen on. */
  private String endpoint(String name) {
    return switch (cell.transport()) {
      case TCP -> "tcp://127.0.0.1:0";
      case UNIX -> "unix:" + test.dir().resolve(name + ".sock");
      case ABSTRACT ->
          "unix:@jnet-matrix-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
      case PIPE -> "pipe:" + test.dir().resolve(name);
    };
  }

  private Spawned jnet(String... args) {
    return test.jnet(cell, args);
  }

  private Spawned jnet(ProcessBuilder pb) {
    return test.process(pb);
  }

  private ProcessBuilder builder(String... args) {
    return Spawned.jnetOn(cell.engine(), args);
  }

  private String listening(Spawned server) throws InterruptedException {
    return server.awaitStderr("listening on (\\S+)\\R", WAIT).group(1);
  }

  private static void exitsZero(Spawned p, String what) throws InterruptedException {
    assertThat(p.awaitExit(WAIT)).as(what + " exit code; stderr:%n%s", p.stderr()).isZero();
  }

  private void sendRecv() throws Exception {
    Spawned recv = jnet(builder("recv", endpoint("recv")).redirectOutput(out.toFile()));
    Spawned send = jnet("send", listening(recv), in.toString());
    exitsZero(send, "send");
    exitsZero(recv, "recv");
  }

  private void connectToListen() throws Exception {
    Spawned listen =
        jnet(
            builder("listen", endpoint("listen"))
                .redirectInput(CliByteExactnessIT.devNull())
                .redirectOutput(out.toFile()));
    Spawned connect = jnet(builder("connect", listening(listen)).redirectInput(in.toFile()));
    exitsZero(connect, "connect");
    exitsZero(listen, "listen");
  }

  private void listenToConnect() throws Exception {
    Spawned listen = jnet(builder("listen", endpoint("listen")).redirectInput(in.toFile()));
    Spawned connect =
        jnet(
            builder("connect", listening(listen))
                .redirectInput(CliByteExactnessIT.devNull())
                .redirectOutput(out.toFile()));
    exitsZero(connect, "connect");
    exitsZero(listen, "listen");
  }

  private void relayAccepts() throws Exception {
    String echo = listening(jnet("echo", "-q", "tcp://127.0.0.1:0"));
    Spawned relay = jnet("relay", "listen:" + endpoint("relay"), echo);
    throughRelay(relay, listening(relay));
  }

  private void relayConnects() throws Exception {
    String echo = listening(jnet("echo", "-q", endpoint("echo")));
    Spawned relay = jnet("relay", "listen:tcp://127.0.0.1:0", echo);
    throughRelay(relay, listening(relay));
  }

  private void relayToExec() throws Exception {
    Spawned relay = jnet("relay", "listen:" + endpoint("relay"), "exec:cat");
    throughRelay(relay, listening(relay));
  }

  /**
   * A client sends the input through a listening relay and writes what comes back; then the relay
   * stops.
   */
  private void throughRelay(Spawned relay, String endpoint) throws Exception {
    Spawned connect =
        jnet(builder("connect", endpoint).redirectInput(in.toFile()).redirectOutput(out.toFile()));
    exitsZero(connect, "connect");
    relayDone(relay);
  }

  /** The relay logs its connection done with every byte both ways, then exits 0 on SIGTERM. */
  private void relayDone(Spawned relay) throws Exception {
    var done = relay.awaitStderr("#1 done in=(\\d+) out=(\\d+)", WAIT);
    relay.signal("TERM");
    exitsZero(relay, "relay");
    assertThat(done.group(1))
        .as("relay: bytes in; stderr:%n%s", relay.stderr())
        .isEqualTo(Integer.toString(CliByteExactnessIT.SIZE));
  }

  private void relayToFile() throws Exception {
    Spawned relay = jnet("relay", "listen:" + endpoint("relay"), "file:" + out);
    Spawned send = jnet("send", listening(relay), in.toString());
    exitsZero(send, "send");
    relayDone(relay);
  }

  private void fifoRelay() throws Exception {
    Spawned recv = jnet(builder("recv", endpoint("recv")).redirectOutput(out.toFile()));
    Path fifo = test.dir().resolve("in.fifo");
    Spawned relay = jnet("relay", "fifo:" + fifo + "?create", listening(recv));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(fifo)) {
      assertThat(System.nanoTime()).as("the relay made " + fifo).isLessThan(deadline);
      Thread.sleep(20); // a file to appear: no event to wait on
    }
    Spawned writer =
        jnet(new ProcessBuilder("sh", "-c", "cat \"$0\" > \"$1\"", in.toString(), fifo.toString()));
    exitsZero(writer, "the FIFO's writer");
    exitsZero(relay, "relay");
    exitsZero(recv, "recv");
  }
}
