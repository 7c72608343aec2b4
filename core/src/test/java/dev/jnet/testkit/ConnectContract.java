package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ReadyState;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Connecting: {@code connect} then {@code ready} once, or {@code error} then {@code close(true)}.
 */
public abstract class ConnectContract extends ContractSupport {

  @Test
  void connectThenReadyOnceThenCloseAfterDestroy() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    // The I/O thread may finish a loopback connect before this line runs; ConnectErrorsContract
    // checks OPENING
    // deterministically on a connect that cannot complete.
    assertThat(client.readyState()).isIn(ReadyState.OPENING, ReadyState.OPEN);
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    take(accepted);
    events.await("ready", WAIT);
    assertThat(client.readyState()).isEqualTo(ReadyState.OPEN);
    client.destroy();
    events.awaitClose().assertSequence("connect", "ready", "close:false");
    events.assertNothingMoreWithin(Duration.ofMillis(100));
  }

  @Test
  void connectToDeadEndpointGivesErrorThenCloseTrue() {
    Socket client = connect(fixture().deadEndpoint(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.awaitClose().assertSequence("error:" + fixture().refusedCode(), "close:true");
    NetException e = events.error();
    assertThat(e.syscall()).contains("connect");
    assertThat(e.getMessage()).startsWith("connect " + fixture().refusedCode());
    assertThat(client.readyState()).isEqualTo(ReadyState.CLOSED);
    assertThat(client.connected().toCompletableFuture())
        .failsWithin(WAIT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(NetException.class);
  }

  @Test
  void listenersRegisteredAfterTheEventStillHearIt() {
    Socket client = connect(fixture().deadEndpoint(), SocketOptions.defaults());
    await(client.closed());
    EventRecorder late = EventRecorder.record(client);
    late.awaitClose().assertSequence("error:" + fixture().refusedCode(), "close:true");
  }

  @Test
  void foreignServerAcceptsJnetClientAndSeesItsBytes() throws Exception {
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint()));
    Socket client = connect(foreign.endpoint(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.write("hi");
    ForeignConnection peer = closeLater(foreign.accept(WAIT));
    assertThat(new String(peer.readExactly(2, WAIT), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("hi");
    peer.close();
    events.awaitClose().assertSequence("connect", "ready", "end", "close:false");
  }

  @Test
  void destroyWhileConnectingFailsQueuedWritesAndClosesWithoutError() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    LinkedBlockingQueue<String> outcome = new LinkedBlockingQueue<>();
    client.write(
        java.nio.ByteBuffer.wrap(new byte[] {1}),
        e -> outcome.add(e.map(x -> x.code().name()).orElse("ok")));
    client.destroy();
    EventRecorder events = EventRecorder.record(client);
    events.awaitClose();
    assertThat(events.events()).doesNotContain("error:" + ErrorCode.ERR_SOCKET_CLOSED);
    assertThat(events.events().get(events.events().size() - 1)).isEqualTo("close:false");
    try {
      String o = outcome.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(o).isIn("ERR_SOCKET_CLOSED_BEFORE_CONNECTION", "ok", "ERR_SOCKET_CLOSED");
    } catch (InterruptedException e) {
      throw new CompletionException(e);
    }
  }
}
