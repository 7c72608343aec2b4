package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.EventRecorder;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code drain} after {@code end()}, side by side with Node: both peers make one large write that
 * returns false, then call {@code end()} at once. Node, the oracle, emits no {@code 'drain'} once
 * the writable side is ending (Writable's afterWrite: {@code needDrain && !ending}); jnet must not
 * either.
 */
class NodeDrainAfterEndIT extends NodeOracleSupport {
  private static final int SIZE = 8 << 20;

  @Test
  void aJnetClientThatEndsRightAfterAWriteReturnedFalseGetsNoDrainJustAsItsNodePeerGetsNone() {
    NodePeer node = node("bigend.js", "server", SIZE);
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    AtomicReference<Boolean> returned = new AtomicReference<>();
    client.onConnect(
        () -> {
          returned.set(client.write(ByteBuffer.allocate(SIZE)));
          client.end();
        });

    assertNodeOracle(node);
    events.awaitClose();
    assertThat(returned).as("jnet write of 8 MiB").hasValue(false);
    assertThat(events.data()).hasSize(SIZE);
    events.assertSequence("connect", "ready", "data", "end", "close:false");
  }

  @Test
  void
      aJnetServerSocketThatEndsRightAfterAWriteReturnedFalseGetsNoDrainJustAsItsNodePeerGetsNone() {
    AtomicReference<Boolean> returned = new AtomicReference<>();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              returned.set(s.write(ByteBuffer.allocate(SIZE)));
              s.end();
            });

    NodePeer node =
        node("bigend.js", "client", ((Endpoint.Tcp) server.address().orElseThrow()).port(), SIZE);
    Accepted jnet = take(accepted);
    assertNodeOracle(node);
    jnet.events().awaitClose();
    assertThat(returned).as("jnet write of 8 MiB").hasValue(false);
    assertThat(jnet.events().data()).hasSize(SIZE);
    jnet.events().assertSequence("data", "end", "close:false");
  }

  private static void assertNodeOracle(NodePeer node) {
    Map<String, Object> wrote = node.await("wrote");
    assertThat(wrote.get("writeReturned")).as("Node's write of 8 MiB").isEqualTo(false);
    assertThat(NodePeer.number(node.await("end"), "bytes").intValue()).isEqualTo(SIZE);
    assertThat(node.awaitClose())
        .as("Node's events: no drain after end()")
        .doesNotContain("drain")
        .endsWith("close:false");
  }
}
