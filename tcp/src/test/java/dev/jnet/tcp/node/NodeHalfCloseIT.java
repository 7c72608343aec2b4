package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ReadyState;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.EventRecorder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Half-close against Node (NODE-NET.md 1.6 rules 2-4). With {@code allowHalfOpen} true on both
 * sides, the side that did not end first still writes a reply after {@code end}, the first side
 * receives all of it, and both close without error. With {@code allowHalfOpen} false, the peer's
 * end makes the other side end by itself (Node: {@code 'end'} then {@code 'finish'} then {@code
 * 'close'(false)}), after flushing what it wrote in its end listener.
 */
class NodeHalfCloseIT extends NodeOracleSupport {
  private static final int REPLY = 256 << 10;

  /**
   * Below the high-water mark, so no drain is due after the automatic end (see
   * NodeDrainAfterEndIT).
   */
  private static final int SMALL_REPLY = 16 << 10;

  private static final byte[] REQUEST = "request".getBytes(StandardCharsets.US_ASCII);

  @Test
  void halfOpenNodeClientThatEndsFirstReceivesTheWholeReplyAJnetServerWritesAfterItsEnd() {
    int seed = seed();
    byte[] reply = PeerPayload.generate(seed, REPLY);
    AtomicReference<ReadyState> stateAtEnd = new AtomicReference<>();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults().withAllowHalfOpen(true),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              PacedWriter writer = new PacedWriter(s, reply, seed, 64 << 10, true);
              s.onEnd(
                  () -> {
                    stateAtEnd.set(s.readyState());
                    writer.pump();
                  });
            });

    NodePeer node =
        node("halfclose.js", "client", port(server.address().orElseThrow()), true, "first");
    Accepted jnet = take(accepted);
    List<String> nodeEvents = node.awaitClose();
    jnet.events().awaitClose();

    assertThat(without(jnet.events().events(), "drain"))
        .as("jnet server events")
        .containsExactly("data", "end", "close:false");
    jnet.events().assertInvariants();
    assertThat(jnet.events().data()).as("the request").isEqualTo(REQUEST);
    assertThat(stateAtEnd)
        .as("jnet readyState in its end listener")
        .hasValue(ReadyState.WRITE_ONLY);
    assertThat(nodeEvents)
        .as("Node client events (rule 4: finish, then the peer's data and end, then close)")
        .containsExactly("connect", "ready", "finish", "data", "end", "close:false");
    assertThat(node.await("finish").get("readyState")).isEqualTo("readOnly");
    assertReceived(node.await("end"), reply);
  }

  @Test
  void halfOpenJnetClientThatEndsFirstReceivesTheWholeReplyANodeServerWritesAfterItsEnd() {
    int seed = seed();
    byte[] reply = PeerPayload.generate(seed, REPLY);
    NodePeer node = node("halfclose.js", "server", true, "reply", seed, REPLY);
    Socket client =
        connect(node.awaitListening(), SocketOptions.defaults().withAllowHalfOpen(true));
    EventRecorder events = EventRecorder.record(client);
    AtomicReference<ReadyState> stateAtReply = new AtomicReference<>();
    client.onData(b -> stateAtReply.compareAndSet(null, client.readyState()));
    client.write(REQUEST);
    client.end();

    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertThat(events.data()).as("the reply, in full").isEqualTo(reply);
    assertThat(stateAtReply)
        .as("jnet readyState between its end() and the peer's end (rule 4)")
        .hasValue(ReadyState.READ_ONLY);
    List<String> nodeEvents = node.awaitClose();
    assertThat(without(nodeEvents, "drain"))
        .as("Node server events (rule 3)")
        .containsExactly("data", "end", "finish", "close:false");
    Map<String, Object> end = node.await("end");
    assertReceived(end, REQUEST);
    assertThat(end.get("readyState")).as("Node readyState at end").isEqualTo("writeOnly");
  }

  @Test
  void
      nodeServerWithoutHalfOpenEndsByItselfWhenAJnetClientEndsAfterFlushingWhatItWroteInItsEndListener() {
    int seed = seed();
    byte[] reply = PeerPayload.generate(seed, 64 << 10);
    NodePeer node = node("halfclose.js", "server", false, "reply", seed, reply.length);
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.write(REQUEST);
    client.end();

    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertThat(events.data()).as("what Node wrote in its 'end' listener").isEqualTo(reply);
    assertThat(node.awaitClose())
        .as("Node server events (rule 2: end, finish, close)")
        .containsExactly("data", "end", "finish", "close:false");
    Map<String, Object> end = node.await("end");
    assertReceived(end, REQUEST);
    assertThat(end.get("readyState")).as("Node readyState at end").isEqualTo("writeOnly");
  }

  @Test
  void
      jnetServerWithoutHalfOpenEndsByItselfWhenANodeClientEndsAfterFlushingWhatItWroteInItsEndListener() {
    int seed = seed();
    byte[] reply = PeerPayload.generate(seed, SMALL_REPLY);
    AtomicReference<ReadyState> stateAtEnd = new AtomicReference<>();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.onEnd(
                  () -> {
                    stateAtEnd.set(s.readyState());
                    s.write(reply);
                  });
            });

    NodePeer node =
        node("halfclose.js", "client", port(server.address().orElseThrow()), false, "first");
    Accepted jnet = take(accepted);
    List<String> nodeEvents = node.awaitClose();

    jnet.events().awaitClose().assertSequence("data", "end", "close:false");
    assertThat(jnet.events().data()).as("the request").isEqualTo(REQUEST);
    assertThat(stateAtEnd)
        .as("jnet readyState in its end listener")
        .hasValue(ReadyState.WRITE_ONLY);
    assertThat(nodeEvents)
        .as("Node client events (rule 4)")
        .containsExactly("connect", "ready", "finish", "data", "end", "close:false");
    assertReceived(node.await("end"), reply);
  }

  private static int port(Endpoint endpoint) {
    return ((Endpoint.Tcp) endpoint).port();
  }

  private static void assertReceived(Map<String, Object> nodeEnd, byte[] expected) {
    assertThat(NodePeer.number(nodeEnd, "bytes").longValue())
        .as("bytes Node received")
        .isEqualTo(expected.length);
    assertThat(nodeEnd.get("sha256"))
        .as("SHA-256 of what Node received")
        .isEqualTo(PeerPayload.sha256Hex(expected));
  }
}
