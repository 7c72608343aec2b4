package dev.jnet.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server (rule 10): listen failures, {@code close()} with live connections, {@code
 * maxConnections}, the connection count.
 */
public abstract class ServerContract extends ContractSupport {

  @Test
  void listeningOnABoundAddressFailsWithEaddrinuseAndTheServerCanListenElsewhere() {
    Server first = listen(ServerOptions.defaults(), s -> {});
    Server second = createServer(ServerOptions.defaults(), s -> {});
    LinkedBlockingQueue<NetException> errors = new LinkedBlockingQueue<>();
    second.onError(errors::add);

    NetException e = failure(second.listen(first.address().orElseThrow()));
    assertThat(e.code()).isEqualTo(ErrorCode.EADDRINUSE);
    assertThat(e.syscall()).contains("listen");
    // Node's message, which jnet may follow with what holds the address (a Unix path's owner)
    assertThat(e.getMessage())
        .startsWith(
            "listen EADDRINUSE: address already in use " + first.address().orElseThrow().address());
    assertThat(errors).as("the server's error event").containsExactly(e);
    assertThat(second.isListening()).isFalse();

    await(second.listen(fixture().listenEndpoint()));
    assertThat(second.isListening()).isTrue();
  }

  @Test
  void listenTwiceThrowsIllegalState() {
    Server server = listen(ServerOptions.defaults(), s -> {});
    assertThatThrownBy(() -> server.listen(fixture().listenEndpoint()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ERR_SERVER_ALREADY_LISTEN");
  }

  @Test
  void closeRefusesNewConnectionsAtOnceAndCompletesAfterTheLastConnectionLeaves() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    AtomicInteger closeEvents = new AtomicInteger();
    server.onClose(closeEvents::incrementAndGet);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    Accepted peer = take(accepted);

    dev.jnet.Endpoint address = server.address().orElseThrow();
    CompletableFuture<Void> closed = server.close().toCompletableFuture();
    assertThat(server.isListening()).isFalse();
    Socket late = connect(address, SocketOptions.defaults());
    EventRecorder.record(late)
        .awaitClose()
        .assertSequence("error:" + fixture().refusedCode(), "close:true");

    peer.socket().write("still served");
    events.awaitBytes(12, WAIT);
    client.write("still talking");
    peer.events().awaitBytes(13, WAIT);
    assertThat(closed).as("close waits for the live connection").isNotDone();
    assertThat(closeEvents.get()).isZero();

    client.end();
    await(closed);
    peer.events().awaitClose().assertSequence("data", "end", "close:false");
    assertThat(closeEvents.get()).as("server close events").isEqualTo(1);
    assertThat(server.connections()).isZero();
  }

  @Test
  void closeOnANonListeningServerFailsWithServerNotRunning() {
    Server server = createServer(ServerOptions.defaults(), s -> {});
    assertThat(failure(server.close()).code()).isEqualTo(ErrorCode.ERR_SERVER_NOT_RUNNING);
    await(server.listen(fixture().listenEndpoint()));
    await(server.close());
    assertThat(failure(server.close()).code())
        .as("after a completed close")
        .isEqualTo(ErrorCode.ERR_SERVER_NOT_RUNNING);
  }

  @Test
  public void maxConnectionsClosesTheExtraConnectionAtOnceAndKeepsServing() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withMaxConnections(1), accepted);
    LinkedBlockingQueue<Server.Drop> drops = new LinkedBlockingQueue<>();
    server.onDrop(drops::add);
    Socket first = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder firstEvents = EventRecorder.record(first);
    Accepted firstPeer = take(accepted);
    assertThat(server.connections()).isEqualTo(1);

    Socket extra = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder.record(extra)
        .awaitClose()
        .assertSequence("connect", "ready", "end", "close:false");
    assertThat(accepted).as("no connection event for the extra one").isEmpty();
    assertThat(take(drops).reason())
        .as("Node's drop event")
        .isEqualTo("maxConnections (1) reached");

    firstPeer.socket().write("served");
    firstEvents.awaitBytes(6, WAIT);
    assertThat(new String(firstEvents.data(), UTF_8)).isEqualTo("served");

    first.destroy();
    firstPeer.events().awaitClose();
    assertThat(server.connections()).as("count after the first left").isZero();
    Socket next = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder nextEvents = EventRecorder.record(next);
    take(accepted).socket().write("welcome");
    nextEvents.awaitBytes(7, WAIT);
    assertThat(server.connections()).isEqualTo(1);
    next.destroy();
    nextEvents.awaitClose();
  }

  private static NetException failure(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(NetException.class);
      return (NetException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("stage did not fail within " + WAIT, e);
    }
    throw new AssertionError("stage succeeded, expected a failure");
  }
}
