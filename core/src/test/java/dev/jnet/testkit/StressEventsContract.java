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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stress mode of the event contract: listeners that write, end and destroy from inside events
 * on both sides, with random delays, checked against the invariants (one thread, nothing after
 * close, nothing from inside a call the user is still in, at most one error, end and close) and
 * against the bytes each side wrote. Then Node's answers to calls that cannot succeed, made from
 * inside listeners: the outcome goes to the callback and {@code error} follows later, never inside
 * the call (checked against node v20).
 */
@Tag("stress")
public abstract class StressEventsContract extends StressSupport {

  @Test
  void listenersThatWriteEndAndDestroyFromEventsKeepTheContract() {
    repeat("chaotic-listeners", chaos -> chaoticConversation(chaos, false));
  }

  @Test
  void listenersThatWriteWhileConnectingEndAndDestroySeeNoEventInsideTheirCalls() {
    repeat("chaotic-listeners-inside-calls", chaos -> chaoticConversation(chaos, true));
  }

  /**
   * Both sides chaotic. {@code strict}: the client starts writing while connecting (item 1) and
   * every call is checked for events emitted inside it (item 2); otherwise the client's caller
   * waits for {@code ready} first.
   */
  private void chaoticConversation(Chaos chaos, boolean strict) {
    boolean guardCalls = strict;
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    CompletableFuture<ChaoticPeer> serverSide = new CompletableFuture<>();
    Chaos serverChaos = chaos.fork();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              ChaoticPeer p = ChaoticPeer.on(s, serverChaos, guardCalls);
              serverSide.complete(p);
              p.write();
            });
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    ChaoticPeer mine = ChaoticPeer.on(client, chaos.fork(), guardCalls);
    client.onReady(mine::write);
    if (!strict) {
      events.await("ready", WAIT);
    }
    mine.writeThenEnd(1 + chaos.nextInt(30));
    Accepted peer = take(accepted);
    ChaoticPeer theirs = await(serverSide);
    events.awaitClose().assertInvariants();
    peer.events().awaitClose().assertInvariants();
    checkBytes("client to server", events, mine, peer.events(), theirs);
    checkBytes("server to client", peer.events(), theirs, events, mine);
  }

  private static void checkBytes(
      String what,
      EventRecorder writerEvents,
      ChaoticPeer writer,
      EventRecorder readerEvents,
      ChaoticPeer reader) {
    byte[] got = readerEvents.data();
    byte[] confirmed = writer.confirmed(WAIT);
    boolean clean =
        !writer.destroyedItself()
            && !reader.destroyedItself()
            && writerEvents.error() == null
            && readerEvents.error() == null
            && readerEvents.events().contains("end");
    String sides = "; writer " + writerEvents.events() + ", reader " + readerEvents.events();
    assertPrefix(what + ": what arrived was written, in order" + sides, got, writer.issued());
    if (clean) {
      assertSameBytes(
          what + ": no side destroyed or failed, end arrived: every confirmed write" + sides,
          got,
          confirmed);
    } else {
      assertThat(got.length)
          .as(
              what
                  + ": at least the confirmed writes arrived, unless the reader went first"
                  + sides)
          .isGreaterThanOrEqualTo(
              reader.destroyedItself() || readerEvents.error() != null ? 0 : confirmed.length);
    }
  }

  @Test
  void aWriteAfterThePeerEndedAnswersEpipeToTheCallbackAndErrorsLater() {
    repeat(
        "write-after-peer-end",
        chaos -> {
          Server server = listen(ServerOptions.defaults(), s -> s.onData(b -> {}));
          Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
          EventRecorder events = EventRecorder.record(client);
          chaos.delayIoThread(client);
          CompletableFuture<Optional<NetException>> outcome = new CompletableFuture<>();
          client.onReady(
              () -> {
                // Registered on the I/O thread before our end() can bring the peer's: the end
                // listener surely runs while
                // the socket is open (a listener registered after the socket closed would see EPIPE
                // and no error, as in Node).
                client.onEnd(
                    () ->
                        InsideCall.run(
                            client,
                            "write",
                            () ->
                                client.write(
                                    ByteBuffer.wrap("late".getBytes(UTF_8)), outcome::complete)));
                InsideCall.run(client, "end", client::end);
              });
          NetException e =
              await(outcome).orElseThrow(() -> new AssertionError("the late write succeeded"));
          assertThat(e.code()).as("the late write's outcome: " + e).isEqualTo(ErrorCode.EPIPE);
          assertThat(e.getMessage()).contains("This socket has been ended by the other party");
          events
              .awaitClose()
              .assertSequence("connect", "ready", "end", "error:EPIPE", "close:true");
        });
  }

  @Test
  void aWriteAfterEndFromAListenerErrorsOnlyAfterTheCallReturned() {
    repeat(
        "write-after-end-in-listener",
        chaos -> {
          // A half-open server ends back once our end arrived: else its socket would stay open (as
          // in Node), and the
          // server could not close after the test.
          Server server =
              listen(
                  ServerOptions.defaults().withAllowHalfOpen(true),
                  s -> {
                    s.onData(b -> {});
                    s.onEnd(s::end);
                  });
          Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
          EventRecorder events = EventRecorder.record(client);
          chaos.delayIoThread(client);
          CompletableFuture<Optional<NetException>> outcome = new CompletableFuture<>();
          client.onReady(
              () -> {
                InsideCall.run(client, "end", client::end);
                InsideCall.run(
                    client,
                    "write",
                    () -> client.write(ByteBuffer.wrap(new byte[] {1}), outcome::complete));
              });
          assertThat(await(outcome))
              .get()
              .extracting(NetException::code)
              .isEqualTo(ErrorCode.ERR_STREAM_WRITE_AFTER_END);
          events
              .awaitClose()
              .assertSequence("connect", "ready", "error:ERR_STREAM_WRITE_AFTER_END", "close:true");
        });
  }

  @Test
  void destroyWithACauseFromAListenerErrorsOnlyAfterTheCallReturned() {
    repeat(
        "destroy-in-listener",
        chaos -> {
          Server server = listen(ServerOptions.defaults(), s -> s.onData(b -> {}));
          Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
          EventRecorder events = EventRecorder.record(client);
          chaos.delayIoThread(client);
          NetException cause = NetException.of(ErrorCode.ECONNRESET, "read", "", null);
          client.onReady(() -> InsideCall.run(client, "destroy", () -> client.destroy(cause)));
          events.awaitClose().assertSequence("connect", "ready", "error:ECONNRESET", "close:true");
        });
  }

  @Test
  void resumeFromAListenerDeliversWaitingDataOnlyAfterTheCallReturned() {
    repeat(
        "resume-in-listener",
        chaos -> {
          LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
          Server server =
              listen(
                  ServerOptions.defaults(),
                  accepted::add); // no consumer: "hello" waits in the socket
          Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
          CompletableFuture<Optional<NetException>> written = new CompletableFuture<>();
          client.write(ByteBuffer.wrap("hello".getBytes(UTF_8)), written::complete);
          assertThat(await(written)).as("the write reached the kernel").isEmpty();
          Socket s = poll(accepted);
          s.pause(); // then the recorder's data listener does not consume "hello" until resume()
          EventRecorder events = EventRecorder.record(s);
          chaos.delayIoThread(s);
          s.onTimeout(
              () -> {
                s.setTimeout(java.time.Duration.ZERO);
                InsideCall.run(s, "resume", s::resume);
              });
          s.setTimeout(java.time.Duration.ofMillis(50 + chaos.nextInt(50)));
          events.awaitBytes(5, WAIT);
          assertThat(new String(events.data(), UTF_8)).isEqualTo("hello");
          client.end();
          events.awaitClose().assertSequence("timeout", "data", "end", "close:false");
        });
  }

  private static <T> T poll(LinkedBlockingQueue<T> queue) {
    try {
      T t = queue.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(t).as("arrived within " + WAIT).isNotNull();
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
