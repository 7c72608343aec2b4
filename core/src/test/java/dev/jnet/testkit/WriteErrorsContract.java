package dev.jnet.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Writes that cannot happen (rule 7 of the contract, Node's rule 8): after {@code end()} the
 * callback gets {@code ERR_STREAM_WRITE_AFTER_END} and the socket fails; after {@code destroy()}
 * only the callback hears {@code ERR_SOCKET_CLOSED}. {@code destroy()} is idempotent and {@code
 * end()} flushes what was written before it.
 */
public abstract class WriteErrorsContract extends ContractSupport {

  @Test
  public void writeAfterEndFailsTheCallbackThenErrorsAndNothingReachesTheWire() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    // A half-open peer does not end back, so our socket cannot close before the late write runs.
    Server server = listen(ServerOptions.defaults().withAllowHalfOpen(true), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    client.write("before");
    client.end();
    CompletableFuture<Optional<NetException>> outcome = new CompletableFuture<>();
    boolean ok = client.write(ByteBuffer.wrap("after".getBytes(UTF_8)), outcome::complete);

    assertThat(ok).as("write after end() returns false").isFalse();
    assertThat(await(outcome))
        .get()
        .extracting(NetException::code)
        .isEqualTo(ErrorCode.ERR_STREAM_WRITE_AFTER_END);
    events
        .awaitClose()
        .assertSequence("connect", "ready", "error:ERR_STREAM_WRITE_AFTER_END", "close:true");
    Accepted peer = take(accepted);
    peer.events().await("end", WAIT).assertInvariants();
    // without HALF_CLOSE (NIO Unix sockets) the peer's end and close arrive together
    assertThat(peer.events().events()).startsWith("data", "end").doesNotContain("error");
    assertThat(new String(peer.events().data(), UTF_8))
        .as("the peer reads only what came before end()")
        .isEqualTo("before");
  }

  @Test
  void writeAfterDestroyFailsOnlyTheCallbackWithSocketClosed() {
    Server server = listen(ServerOptions.defaults(), s -> {});
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    client.destroy();
    CompletableFuture<Optional<NetException>> outcome = new CompletableFuture<>();
    boolean ok = client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), outcome::complete);

    assertThat(ok).as("write after destroy() returns false").isFalse();
    assertThat(await(outcome))
        .get()
        .extracting(NetException::code)
        .isEqualTo(ErrorCode.ERR_SOCKET_CLOSED);
    events.awaitClose().assertSequence("connect", "ready", "close:false");
    events.assertNothingMoreWithin(Duration.ofMillis(50));
    assertThat(client.bytesWritten()).as("bytesWritten counts accepted writes only").isZero();
  }

  @Test
  void destroyTwiceIsANoOp() {
    Server server = listen(ServerOptions.defaults(), s -> {});
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    client.destroy();
    client.destroy();
    client.destroy(NetException.of(ErrorCode.ECONNRESET, "read", "", null));
    events.awaitClose().assertSequence("connect", "ready", "close:false");
    events.assertNothingMoreWithin(Duration.ofMillis(50));
  }

  @Test
  void endFlushesEveryByteWrittenBeforeIt() throws Exception {
    Payload payload = Payload.random(8 << 20);
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint()));
    Socket client = connect(foreign.endpoint(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.write(payload.bytes());
    client.end();
    ForeignConnection peer = closeLater(foreign.accept(WAIT));

    byte[] got = peer.readToEof(Duration.ofSeconds(30));
    assertThat(got.length).as("bytes before EOF, " + payload).isEqualTo(payload.bytes().length);
    assertThat(java.util.Arrays.mismatch(got, payload.bytes()))
        .as(payload.toString())
        .isEqualTo(-1);
    peer.close();
    events.awaitClose().assertSequenceIgnoringDrain("connect", "ready", "end", "close:false");
  }

  @Test
  void jnetServerEndFlushesALargeWriteToAForeignClient() throws Exception {
    Payload payload = Payload.random(8 << 20);
    Server server = listen(ServerOptions.defaults(), s -> s.end(ByteBuffer.wrap(payload.bytes())));
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    byte[] got = peer.readToEof(Duration.ofSeconds(30));
    assertThat(got.length).as("bytes before EOF, " + payload).isEqualTo(payload.bytes().length);
    assertThat(java.util.Arrays.mismatch(got, payload.bytes()))
        .as(payload.toString())
        .isEqualTo(-1);
  }

  @Test
  @RequiresCapability(dev.jnet.spi.Capability.HALF_CLOSE)
  void writeAfterThePeerEndedFailsWithEpipeAfterTheCallReturns() {
    // Node (net.js writeAfterFIN): once the peer's end arrived on a socket that is not half-open, a
    // write is
    // answered with EPIPE "This socket has been ended by the other party": the callback first, then
    // 'error'
    // and 'close', all on later ticks, never inside the write call.
    Server server = listen(ServerOptions.defaults(), s -> s.onEnd(s::end));
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT);
    CompletableFuture<Optional<NetException>> outcome = new CompletableFuture<>();
    CompletableFuture<String> insideTheCall = new CompletableFuture<>();
    client.onEnd(
        () -> {
          int before = events.events().size();
          boolean ok = client.write(ByteBuffer.wrap("late".getBytes(UTF_8)), outcome::complete);
          insideTheCall.complete(
              ok + " " + events.events().subList(before, events.events().size()));
        });
    client.end(); // we end first; the server ends back

    assertThat(await(insideTheCall))
        .as("write's result, and the events emitted inside the call")
        .isEqualTo("false []");
    NetException e = await(outcome).orElseThrow();
    assertThat(e.code()).isEqualTo(ErrorCode.EPIPE);
    assertThat(e.getMessage()).isEqualTo("This socket has been ended by the other party");
    events.awaitClose().assertSequence("connect", "ready", "end", "error:EPIPE", "close:true");
  }

  @Test
  void destroyWithACauseEmitsTheErrorAfterTheCallReturns() {
    Server server = listen(ServerOptions.defaults(), s -> {});
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    CompletableFuture<String> insideTheCall = new CompletableFuture<>();
    client.onReady(
        () -> {
          int before = events.events().size();
          client.destroy(NetException.of(ErrorCode.ECONNRESET, "read", "", null));
          insideTheCall.complete(
              String.valueOf(events.events().subList(before, events.events().size())));
        });

    assertThat(await(insideTheCall)).as("events emitted inside destroy()").isEqualTo("[]");
    events.awaitClose().assertSequence("connect", "ready", "error:ECONNRESET", "close:true");
  }
}
