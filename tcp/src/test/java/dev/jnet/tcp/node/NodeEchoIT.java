package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.EventRecorder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Echo integrity against Node: 4 MiB of seeded random bytes in random chunk sizes go through an
 * echo on the other side and come back byte for byte, with the event sequences of a clean close on
 * both sides.
 */
class NodeEchoIT extends NodeOracleSupport {
  private static final int SIZE = 4 << 20;
  private static final int MAX_CHUNK = 64 << 10;

  @Test
  void nodeClientGetsFourMebibytesBackIntactFromAJnetEchoServerAndBothCloseCleanly() {
    int seed = seed();
    byte[] payload = PeerPayload.generate(seed, SIZE);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.pipe(s);
            });
    Endpoint.Tcp address = (Endpoint.Tcp) server.address().orElseThrow();

    NodePeer node = node("echo.js", "client", address.port(), seed, SIZE, MAX_CHUNK);
    Accepted jnet = take(accepted);
    List<String> nodeEvents = node.awaitClose();

    jnet.events().awaitClose().assertSequence("data", "end", "close:false");
    assertSameBytes("bytes the jnet server received", jnet.events().data(), payload);
    assertThat(node.await("sent").get("sha256"))
        .as("Node sent payload(seed)")
        .isEqualTo(PeerPayload.sha256Hex(payload));
    assertEcho(node.await("end"), payload);
    assertThat(without(nodeEvents, "drain", "finish"))
        .as("Node client events")
        .containsExactly("connect", "ready", "data", "end", "close:false");
    assertThat(nodeEvents.indexOf("finish"))
        .as("Node's finish comes before its close")
        .isBetween(0, nodeEvents.size() - 2);
  }

  @Test
  void jnetClientGetsFourMebibytesBackIntactFromANodeEchoServerAndBothCloseCleanly() {
    int seed = seed();
    byte[] payload = PeerPayload.generate(seed, SIZE);
    NodePeer node = node("echo.js", "server");
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    PacedWriter writer = new PacedWriter(client, payload, seed, MAX_CHUNK, true);
    client.onConnect(writer::pump);

    events.awaitClose().assertInvariants();
    assertThat(without(events.events(), "drain"))
        .as("jnet client events")
        .containsExactly("connect", "ready", "data", "end", "close:false");
    assertSameBytes("bytes the jnet client got back", events.data(), payload);
    assertEcho(node.await("end"), payload);
    List<String> nodeEvents = node.awaitClose();
    assertThat(without(nodeEvents, "drain", "finish"))
        .as("Node server events")
        .containsExactly("data", "end", "close:false");
    assertThat(nodeEvents).as("Node's own side finished").contains("finish");
  }

  private static void assertEcho(Map<String, Object> nodeEnd, byte[] payload) {
    assertThat(NodePeer.number(nodeEnd, "bytes").longValue())
        .as("bytes Node received")
        .isEqualTo(payload.length);
    assertThat(nodeEnd.get("sha256"))
        .as("SHA-256 of what Node received")
        .isEqualTo(PeerPayload.sha256Hex(payload));
  }

  private static void assertSameBytes(String what, byte[] actual, byte[] expected) {
    assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
    assertThat(Arrays.mismatch(actual, expected))
        .as(what + ": first differing offset")
        .isEqualTo(-1);
  }
}
