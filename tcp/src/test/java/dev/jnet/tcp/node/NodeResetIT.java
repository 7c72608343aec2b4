package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.EventRecorder;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Resets against Node (NODE-NET.md 1.6 rule 7): the side that receives an RST gets {@code
 * error(ECONNRESET)} from {@code read}, then {@code close(true)}, and no {@code end}; the side that
 * called {@code resetAndDestroy()} only closes, without error.
 */
class NodeResetIT extends NodeOracleSupport {

  @Test
  void nodeClientResetAndDestroyGivesTheJnetServerSocketEconnresetThenCloseTrueAndNoEnd() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.write("hello");
            });

    NodePeer node =
        node("reset.js", "client", ((Endpoint.Tcp) server.address().orElseThrow()).port(), "reset");
    Accepted jnet = take(accepted);

    jnet.events().awaitClose().assertSequence("error:ECONNRESET", "close:true");
    assertReadReset(jnet.events().error());
    assertThat(node.awaitClose())
        .as("Node client events: resetAndDestroy closes without error")
        .containsExactly("connect", "ready", "data", "close:false");
  }

  @Test
  void nodeServerResetAndDestroyGivesTheJnetClientEconnresetThenCloseTrueAndNoEnd() {
    NodePeer node = node("reset.js", "server", "reset");
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.write("hello");

    events.awaitClose().assertSequence("connect", "ready", "error:ECONNRESET", "close:true");
    assertReadReset(events.error());
    assertThat(node.awaitClose()).as("Node server events").containsExactly("data", "close:false");
  }

  @Test
  void jnetServerResetAndDestroyGivesTheNodeClientEconnresetThenCloseTrue() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.onData(b -> s.resetAndDestroy());
            });

    NodePeer node =
        node("reset.js", "client", ((Endpoint.Tcp) server.address().orElseThrow()).port(), "hello");
    Accepted jnet = take(accepted);

    assertThat(node.awaitClose())
        .as("Node client events")
        .containsExactly("connect", "ready", "error:ECONNRESET", "close:true");
    assertNodeReadReset(node.await("error"));
    jnet.events().awaitClose().assertSequence("data", "close:false");
  }

  @Test
  void jnetClientResetAndDestroyGivesTheNodeServerEconnresetThenCloseTrue() {
    NodePeer node = node("reset.js", "server", "hello");
    Socket client = connect(node.awaitListening(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.onData(b -> client.resetAndDestroy());
    client.write("hi");

    assertThat(node.awaitClose())
        .as("Node server events")
        .containsExactly("data", "error:ECONNRESET", "close:true");
    assertNodeReadReset(node.await("error"));
    events.awaitClose().assertSequence("connect", "ready", "data", "close:false");
  }

  private static void assertReadReset(NetException e) {
    assertThat(e.syscall()).as("syscall, as Node's err.syscall").contains("read");
    assertThat(e.getMessage()).as("message, as Node's").isEqualTo("read ECONNRESET");
  }

  private static void assertNodeReadReset(Map<String, Object> error) {
    assertThat(error.get("syscall")).isEqualTo("read");
    assertThat(error.get("message")).isEqualTo("read ECONNRESET");
  }
}
