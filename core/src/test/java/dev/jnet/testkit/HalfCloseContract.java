package dev.jnet.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ReadyState;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Half-close ({@code allowHalfOpen}): Node's rules 2 to 4 of section 1.6. Without it, the peer's
 * {@code end} makes the socket end its own side (a write inside the {@code end} listener still goes
 * out, a later one fails with {@code EPIPE}); with it, the socket writes on until it calls {@code
 * end()} itself.
 */
@RequiresCapability(Capability.HALF_CLOSE)
public abstract class HalfCloseContract extends ContractSupport {

  @Test
  void withoutHalfOpenPeersEndMakesUsEndAfterWritesFromTheEndListener() {
    CompletableFuture<ReadyState> stateInEnd = new CompletableFuture<>();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.onEnd(
                  () -> {
                    stateInEnd.complete(s.readyState());
                    s.write("bye");
                  });
            });
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.write("hello");
    client.end();
    // never OPEN or WRITE_ONLY once end() returned; CLOSED too if this thread was descheduled
    // while the whole exchange ran on the I/O threads (seen with CPU hogs beside the build)
    assertThat(client.readyState())
        .as("after our end()")
        .isIn(ReadyState.OPENING, ReadyState.READ_ONLY, ReadyState.CLOSED);
    Accepted peer = take(accepted);

    peer.events().awaitClose().assertSequence("data", "end", "close:false");
    assertThat(await(stateInEnd))
        .as("readyState inside the end listener")
        .isEqualTo(ReadyState.WRITE_ONLY);
    assertThat(new String(peer.events().data(), UTF_8)).isEqualTo("hello");
    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertThat(new String(events.data(), UTF_8))
        .as("the write inside the end listener arrived")
        .isEqualTo("bye");
    assertThat(peer.socket().readyState()).isEqualTo(ReadyState.CLOSED);
  }

  @Test
  void withoutHalfOpenAWriteAfterTheAutomaticEndFailsWithEpipe() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.end();
    Accepted peer = take(accepted);
    peer.events().awaitClose().assertSequence("end", "close:false");

    // Node too answers EPIPE, not "socket closed", to a write on a socket the peer ended
    // (writeAfterFIN).
    CompletableFuture<Optional<NetException>> outcome = new CompletableFuture<>();
    boolean ok = peer.socket().write(ByteBuffer.wrap("late".getBytes(UTF_8)), outcome::complete);
    assertThat(ok).as("write after the automatic end returns false").isFalse();
    assertThat(await(outcome)).get().extracting(NetException::code).isEqualTo(ErrorCode.EPIPE);
    assertThat(await(outcome).orElseThrow().getMessage()).contains("ended by the other party");
    peer.events().assertNothingMoreWithin(Duration.ofMillis(50));
    events.awaitClose().assertSequence("connect", "ready", "end", "close:false");
    assertThat(events.data()).as("nothing after the automatic end reached the peer").isEmpty();
  }

  @Test
  void withHalfOpenWeKeepWritingAfterPeersEndAndCloseOnlyAfterOurEnd() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withAllowHalfOpen(true), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.end("ping");
    Accepted peer = take(accepted);
    peer.events().await("end", WAIT);
    assertThat(peer.socket().readyState()).isEqualTo(ReadyState.WRITE_ONLY);

    assertThat(peer.socket().write("pong")).isTrue();
    events.awaitBytes(4, WAIT);
    assertThat(new String(events.data(), UTF_8)).isEqualTo("pong");
    assertThat(peer.events().events())
        .as("no close before our own end()")
        .containsExactly("data", "end");
    assertThat(client.readyState()).isEqualTo(ReadyState.READ_ONLY);

    peer.socket().end();
    peer.events().awaitClose().assertSequence("data", "end", "close:false");
    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertThat(new String(peer.events().data(), UTF_8)).isEqualTo("ping");
  }

  @Test
  void localEndFirstLeavesUsReadOnlyUntilThePeerEnds() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client =
        connect(server.address().orElseThrow(), SocketOptions.defaults().withAllowHalfOpen(true));
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    Accepted peer = take(accepted);

    peer.socket().end("first");
    assertThat(peer.socket().readyState()).as("right after end()").isEqualTo(ReadyState.READ_ONLY);
    events.await("end", WAIT);
    assertThat(client.readyState()).isEqualTo(ReadyState.WRITE_ONLY);
    client.write("still writing");
    peer.events().awaitBytes("still writing".length(), WAIT);
    assertThat(peer.events().events()).as("the server waits for our end").doesNotContain("end");

    client.end();
    peer.events().awaitClose().assertSequence("data", "end", "close:false");
    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertThat(new String(events.data(), UTF_8)).isEqualTo("first");
    assertThat(new String(peer.events().data(), UTF_8)).isEqualTo("still writing");
  }

  /**
   * A peer that sends its request and half-closes, then reads a reply larger than the kernel's
   * buffers: the reply is written after the peer's end was handled (from another thread), so the
   * writer needs write-readiness from the loop again after the input was shut down. Netty 4.2's
   * epoll dropped the descriptor from the epoll set in that state and failed the write with ENOENT,
   * cutting the reply short.
   */
  @Test
  void withHalfOpenAReplyWrittenAfterThePeersEndArrivesWhole() throws Exception {
    int chunk = 64 * 1024;
    int chunks = 16; // 1 MiB: several times a Unix socket's buffers
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults().withAllowHalfOpen(true),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.onEnd(
                  () ->
                      new Thread(
                              () -> {
                                for (int i = 0; i < chunks; i++) {
                                  s.write(
                                      ByteBuffer.wrap(
                                          ForeignConnection.pattern((long) i * chunk, chunk)));
                                }
                                s.end();
                              },
                              "late-writer")
                          .start());
            });
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    peer.shutdownOutput();
    byte[] reply = peer.readToEof(WAIT);
    Accepted a = take(accepted);
    a.events().awaitClose();
    assertThat(a.events().events()).as("the writer's events").doesNotContain("close:true");
    assertThat(reply.length).as("bytes of the reply").isEqualTo(chunk * chunks);
    assertThat(reply)
        .as("the reply, byte for byte")
        .isEqualTo(ForeignConnection.pattern(0, chunk * chunks));
    a.events().assertSequenceIgnoringDrain("end", "close:false");
  }

  @Test
  void foreignPeersShutdownEndsUsAndOurEndListenerWriteReachesIt() throws Exception {
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              s.onData(b -> {}); // end follows the last consumed byte: someone must read "hi"
              s.onEnd(() -> s.write("bye"));
            });
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    peer.write("hi".getBytes(UTF_8));
    peer.shutdownOutput();
    assertThat(new String(peer.readToEof(WAIT), UTF_8)).isEqualTo("bye");
    assertThat(peer.sawEof()).isTrue();
  }

  @Test
  void jnetClientWithHalfOpenWritesToForeignServerAfterItsShutdown() throws Exception {
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint()));
    Socket client = connect(foreign.endpoint(), SocketOptions.defaults().withAllowHalfOpen(true));
    EventRecorder events = EventRecorder.record(client);
    ForeignConnection peer = closeLater(foreign.accept(WAIT));
    peer.shutdownOutput();
    events.await("end", WAIT);
    client.end("after your end");
    assertThat(new String(peer.readToEof(WAIT), UTF_8)).isEqualTo("after your end");
    events.awaitClose().assertSequence("connect", "ready", "end", "close:false");
    events.assertNothingMoreWithin(Duration.ofMillis(50));
  }
}
