package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.EventRecorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Backpressure that a paused jnet socket puts on a Node writer (DESIGN.md 4.6): while jnet is
 * {@code pause()}d it delivers no {@code data} and reads nothing more from the kernel, so Node's
 * {@code write()} returns false and Node's {@code 'drain'} does not come (Node's writer reports a
 * stall: no write completed for 500 ms); after {@code resume()} Node gets {@code 'drain'}, and jnet
 * receives every byte, checked by count and SHA-256.
 */
class NodeWriterBackpressureIT extends NodeOracleSupport {
  private static final int CHUNK = 64 << 10;
  private static final int STALL_MS = 500;
  private static final int TAIL = 1 << 20;

  @Test
  void
      nodeClientGetsWriteFalseAndNoDrainWhileTheJnetServerSocketIsPausedThenDrainAndEveryByteAfterResume() {
    int seed = seed();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              s.pause();
              accepted.add(new Accepted(s, EventRecorder.record(s)));
            });

    NodePeer node =
        node(
            "writer.js",
            "client",
            ((Endpoint.Tcp) server.address().orElseThrow()).port(),
            seed,
            CHUNK,
            STALL_MS,
            TAIL);
    Accepted jnet = take(accepted);

    int stalledAt = awaitNodeStall(node);
    assertThat(jnet.events().events()).as("no data events while paused").isEmpty();
    resumeAndAwaitDrain(jnet.socket(), node, stalledAt);

    jnet.events().awaitClose().assertSequence("data", "end", "close:false");
    assertEveryByte(node, jnet.events());
    assertThat(without(node.awaitClose(), "drain"))
        .as("Node client events")
        .containsExactly("connect", "ready", "timeout", "finish", "end", "close:false");
  }

  @Test
  void
      nodeServerGetsWriteFalseAndNoDrainWhileTheJnetClientIsPausedThenDrainAndEveryByteAfterResume() {
    int seed = seed();
    NodePeer node = node("writer.js", "server", seed, CHUNK, STALL_MS, TAIL);
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    client.pause();
    EventRecorder events = EventRecorder.record(client);

    int stalledAt = awaitNodeStall(node);
    assertThat(events.events())
        .as("no data events while paused")
        .containsExactly("connect", "ready");
    resumeAndAwaitDrain(client, node, stalledAt);

    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertEveryByte(node, events);
    assertThat(without(node.awaitClose(), "drain"))
        .as("Node server events")
        .containsExactly("timeout", "finish", "end", "close:false");
  }

  /** Waits for Node's writer to report a stall; returns the index of that line. */
  private static int awaitNodeStall(NodePeer node) {
    int at = node.awaitAfter("stalled", 0);
    Map<String, Object> stall = node.lines().get(at);
    System.out.println("Node stalled: " + stall);
    assertThat(NodePeer.number(stall, "falseWrites").intValue())
        .as("Node writes that returned false")
        .isPositive();
    assertThat(stall.get("writableNeedDrain")).as("Node waits for drain").isEqualTo(true);
    assertThat(NodePeer.number(stall, "writableLength").longValue())
        .as("Node's buffered bytes")
        .isPositive();
    return at;
  }

  /** Resumes jnet and checks that Node's first drain after the stall came only after that. */
  private static void resumeAndAwaitDrain(Socket socket, NodePeer node, int stalledAt) {
    List<Map<String, Object>> before = node.lines();
    assertThat(before.subList(stalledAt, before.size()))
        .as("Node lines between its stall and jnet's resume")
        .noneMatch(l -> "drain".equals(l.get("ev")));
    socket.resume();
    assertThat(node.awaitAfter("drain", stalledAt))
        .as("index of Node's first drain after the stall")
        .isGreaterThanOrEqualTo(before.size());
  }

  private static void assertEveryByte(NodePeer node, EventRecorder events) {
    Map<String, Object> sent = node.await("sent");
    byte[] got = events.data();
    assertThat((long) got.length)
        .as("bytes jnet received")
        .isEqualTo(NodePeer.number(sent, "bytes").longValue());
    assertThat(PeerPayload.sha256Hex(got))
        .as("SHA-256 of what jnet received")
        .isEqualTo(sent.get("sha256"));
  }
}
