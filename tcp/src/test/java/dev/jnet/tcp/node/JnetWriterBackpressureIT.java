package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.EventRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Backpressure felt by a jnet writer (DESIGN.md 4.5, NODE-NET.md 1.7): while the Node peer does not
 * read, {@code write} returns false and no {@code drain} comes, however long jnet waits (a stall:
 * no write completes for {@link #STALL}); once Node resumes, {@code drain} fires and every byte
 * arrives, checked by count and SHA-256.
 */
class JnetWriterBackpressureIT extends NodeOracleSupport {
  private static final Duration STALL = Duration.ofMillis(500);
  private static final int CHUNK = 64 << 10;
  private static final long TAIL = 1 << 20;

  @Test
  void
      jnetClientGetsWriteFalseAndNoDrainWhileANodeServerDoesNotReadThenDrainAndEveryByteAfterItResumes() {
    int seed = seed();
    NodePeer node = node("reader.js", "server");
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    StallingWriter writer = new StallingWriter(client, seed, CHUNK, STALL, TAIL);
    client.onConnect(writer::start);

    awaitStall(writer, client);
    assertThat(without(events.events(), "drain"))
        .as("jnet events while stalled")
        .containsExactly("connect", "ready", "timeout");
    resume(writer, node);
    assertThat(NodePeer.number(node.await("resuming"), "bytesRead").longValue())
        .as("a pauseOnConnect Node server read nothing before resume")
        .isZero();

    assertEverythingArrived(writer, node);
    events.awaitClose().assertInvariants();
    assertThat(without(events.events(), "drain"))
        .as("jnet client events")
        .containsExactly("connect", "ready", "timeout", "end", "close:false");
    assertThat(node.awaitClose())
        .as("Node server events")
        .containsExactly("data", "end", "finish", "close:false");
  }

  @Test
  void
      jnetServerGetsWriteFalseAndNoDrainWhileANodeClientIsPausedThenDrainAndEveryByteAfterItResumes() {
    int seed = seed();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<StallingWriter> writers = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              EventRecorder events = EventRecorder.record(s);
              StallingWriter w = new StallingWriter(s, seed, CHUNK, STALL, TAIL);
              writers.add(w);
              accepted.add(new Accepted(s, events));
              w.start();
            });

    NodePeer node =
        node("reader.js", "client", ((Endpoint.Tcp) server.address().orElseThrow()).port());
    Accepted jnet = take(accepted);
    StallingWriter writer = writers.poll();

    awaitStall(writer, jnet.socket());
    assertThat(without(jnet.events().events(), "drain"))
        .as("jnet events while stalled")
        .containsExactly("timeout");
    resume(writer, node);

    assertEverythingArrived(writer, node);
    jnet.events().awaitClose().assertInvariants();
    assertThat(without(jnet.events().events(), "drain"))
        .as("jnet server events")
        .containsExactly("timeout", "end", "close:false");
    assertThat(node.awaitClose())
        .as("Node client events")
        .containsExactly("connect", "ready", "data", "end", "finish", "close:false");
  }

  private static void awaitStall(StallingWriter writer, Socket socket) {
    long at = await(writer.stalled());
    assertThat(writer.falseWrites()).as("writes that returned false").isPositive();
    assertThat(socket.bufferSize()).as("bytes still buffered in jnet at the stall").isPositive();
    assertThat(writer.log())
        .as("no drain since the last false write, for " + STALL)
        .endsWith("stall");
    System.out.println(
        "stalled after " + at + " bytes, " + socket.bufferSize() + " buffered in jnet");
  }

  private static void resume(StallingWriter writer, NodePeer node) {
    writer.mark("resume-sent");
    node.send("resume");
  }

  private static void assertEverythingArrived(StallingWriter writer, NodePeer node) {
    String sha = await(writer.done());
    Map<String, Object> end = node.await("end");
    assertThat(NodePeer.number(end, "bytes").longValue())
        .as("bytes Node received")
        .isEqualTo(writer.written());
    assertThat(end.get("sha256")).as("SHA-256 of what Node received").isEqualTo(sha);
    List<String> log = writer.log();
    assertThat(log.subList(log.indexOf("stall"), log.size()))
        .as("the first drain after the stall came after Node was told to resume")
        .startsWith("stall", "resume-sent", "drain");
  }
}
