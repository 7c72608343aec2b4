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
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Flow control (rules 5 and 6): {@code write} returns false at the high-water mark and {@code
 * drain} follows once the buffer is empty; a writer that ignores it meets {@code ERR_BUFFER_FULL};
 * a paused socket delivers nothing and stops reading, so its sender blocks, and {@code resume()}
 * delivers everything.
 */
public abstract class BackpressureContract extends ContractSupport {
  private static final int HWM = 16 * 1024;
  private static final long WRITE_LIMIT = 256L << 20;
  private static final Duration STALL = Duration.ofMillis(300);

  @Test
  void writeReturnsFalseAtTheHighWaterMarkAndDrainFiresOnceWhenTheBufferEmpties() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client =
        connect(server.address().orElseThrow(), SocketOptions.defaults().withHighWaterMark(HWM));
    EventRecorder events = EventRecorder.record(client);
    CompletableFuture<Long> bufferedAtDrain = new CompletableFuture<>();
    client.onDrain(() -> bufferedAtDrain.complete(client.bufferSize()));
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future

    assertThat(client.write(new byte[100])).as("below the high-water mark").isTrue();
    assertThat(client.write(new byte[HWM])).as("at the high-water mark").isFalse();
    assertThat(await(bufferedAtDrain)).as("bufferSize() at drain").isZero();

    for (int i = 0; i < 3; i++) {
      CompletableFuture<Optional<NetException>> done = new CompletableFuture<>();
      assertThat(client.write(ByteBuffer.wrap(new byte[10]), done::complete)).isTrue();
      assertThat(await(done)).isEmpty();
    }
    assertThat(events.count("drain")).as("drain only after a write returned false").isEqualTo(1);
    take(accepted).events().awaitBytes(100 + HWM + 30, WAIT);
  }

  @Test
  void aWriterIgnoringBackpressureGetsBufferFullNotOutOfMemory() throws Exception {
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint()));
    SocketOptions options =
        SocketOptions.defaults().withHighWaterMark(HWM).withMaxBufferedBytes(1 << 20);
    Socket client = connect(foreign.endpoint(), options);
    EventRecorder events = EventRecorder.record(client);
    closeLater(foreign.accept(WAIT)); // never reads
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future

    LinkedBlockingQueue<ErrorCode> failures = new LinkedBlockingQueue<>();
    byte[] chunk = new byte[64 * 1024];
    for (long sent = 0; sent < WRITE_LIMIT && !client.isDestroyed(); sent += chunk.length) {
      client.write(ByteBuffer.wrap(chunk), e -> e.ifPresent(x -> failures.add(x.code())));
    }
    events
        .awaitClose()
        .assertSequenceIgnoringDrain("connect", "ready", "error:ERR_BUFFER_FULL", "close:true");
    assertThat(client.isDestroyed())
        .as("destroyed before " + WRITE_LIMIT + " bytes were written")
        .isTrue();
    assertThat(events.error().getMessage()).contains("ERR_BUFFER_FULL");
    assertThat(failures)
        .as("the write that crossed the cap was told")
        .contains(ErrorCode.ERR_BUFFER_FULL);
  }

  @Test
  void aPausedSocketDeliversNoDataAndItsSenderBlocksUntilResume() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    AtomicBoolean first = new AtomicBoolean(true);
    AtomicInteger whilePaused = new AtomicInteger();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              s.onData(
                  b -> {
                    if (s.isPaused()) {
                      whilePaused.incrementAndGet();
                    } else if (first.getAndSet(false)) {
                      s.pause(); // from inside the first data event: nothing more until resume()
                    }
                  });
              accepted.add(new Accepted(s, EventRecorder.record(s)));
            });
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    Accepted jnet = take(accepted);

    long written = peer.writeUntilBlocked(WRITE_LIMIT, STALL);
    assertThat(written).as("the sender blocked while we were paused").isLessThan(WRITE_LIMIT);
    assertThat(whilePaused.get()).as("data events while paused").isZero();
    long seen = jnet.events().data().length;
    jnet.socket().resume();

    jnet.events().awaitBytes((int) written, WAIT);
    assertThat(jnet.events().data())
        .as("everything, in order, after resume (first " + seen + " before)")
        .isEqualTo(ForeignConnection.pattern(0, (int) written));
  }

  @Test
  public void pauseOnConnectHandsOverAPausedSocketThatReadsNothingUntilResume() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withPauseOnConnect(true), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    CompletableFuture<Optional<NetException>> written = new CompletableFuture<>();
    client.write(ByteBuffer.wrap("hello".getBytes(UTF_8)), written::complete);
    Accepted peer = take(accepted);
    assertThat(await(written)).isEmpty();

    assertThat(peer.socket().isPaused()).isTrue();
    peer.events().assertNothingMoreWithin(Duration.ofMillis(100));
    assertThat(peer.events().events()).isEmpty();
    assertThat(peer.socket().bytesRead()).as("bytesRead before resume()").isZero();

    peer.socket().resume();
    peer.events().awaitBytes(5, WAIT);
    assertThat(new String(peer.events().data(), UTF_8)).isEqualTo("hello");
    assertThat(peer.socket().bytesRead()).isEqualTo(5);
  }

  @Test
  void aForeignWriterAgainstAPauseOnConnectServerBlocksAndLosesNothing() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withPauseOnConnect(true), accepted);
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    Accepted jnet = take(accepted);

    long written = peer.writeUntilBlocked(WRITE_LIMIT, STALL);
    assertThat(written).as("the sender blocked").isLessThan(WRITE_LIMIT);
    assertThat(jnet.events().events()).as("no data while paused").isEmpty();
    assertThat(jnet.socket().bytesRead()).isZero();
    jnet.socket().resume();
    jnet.events().awaitBytes((int) written, WAIT);
    assertThat(Arrays.equals(jnet.events().data(), ForeignConnection.pattern(0, (int) written)))
        .isTrue();
  }
}
