package dev.jnet.testkit;

import static dev.jnet.testkit.FramingInbox.bytes;
import static dev.jnet.testkit.FramingInbox.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.Heartbeat;
import dev.jnet.message.MessageClient;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.ReconnectOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The message layer's {@link Heartbeat}, attacked by raw peers: one that goes silent, one that
 * stops reading, one that sends heartbeats and nothing else, one that trickles a byte per interval.
 * Interval 100 ms, timeout 300 ms: a silent peer must be noticed within 350 ms of its last byte
 * (plus scheduling slack on a loaded machine); where the connection must stay up, the timeout is 1
 * s.
 */
public abstract class HeartbeatContract extends FramingSupport {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Heartbeat BEAT = Heartbeat.every(INTERVAL);

  /**
   * For the tests where the connection must stay up: a timeout that a loaded machine's scheduling
   * hiccups (a 300 ms pause of a 2-core VM running three builds) cannot reach.
   */
  private static final Heartbeat TOLERANT = BEAT.withTimeout(Duration.ofSeconds(1));

  private static final long SLACK_MS = 1500;

  private final ScheduledExecutorService ticker = closeLater(new ClosingScheduler()).scheduler;

  /** A daemon scheduler for the raw peers' trickles, shut down after the test. */
  private static final class ClosingScheduler implements AutoCloseable {
    final ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-contract-peer");
              t.setDaemon(true);
              return t;
            });

    @Override
    public void close() {
      scheduler.shutdownNow();
    }
  }

  private MessageServer heartbeatServer(
      MessageServerOptions options, Framing framing, Consumer<MessageSocket> onConnection) {
    MessageServer server = MessageServer.create(options, framing, onConnection);
    closeLater(
        () -> {
          var closed = server.server().isListening() ? server.close() : null;
          server.connections().forEach(MessageSocket::destroy);
          if (closed != null) {
            await(closed);
          }
        });
    await(server.listen(fixture().listenEndpoint()));
    return server;
  }

  private static MessageServerOptions serverOptions() {
    return serverOptions(BEAT);
  }

  private static MessageServerOptions serverOptions(Heartbeat heartbeat) {
    return MessageServerOptions.defaults()
        .withFirstFrameTimeout(Duration.ZERO)
        .withHeartbeat(heartbeat);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as(what + " within " + WAIT).isNegative();
      Thread.onSpinWait();
      try {
        TimeUnit.MILLISECONDS.sleep(5); // a poll interval, not a wait for the condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private void idleConnectionStaysOpenAndDeliversNoHeartbeat(Framing framing, int frameBytes) {
    LinkedBlockingQueue<String> serverSaw = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<MessageSocket> accepted = new LinkedBlockingQueue<>();
    MessageServer server =
        heartbeatServer(
            serverOptions(TOLERANT),
            framing,
            c -> {
              c.onMessage(m -> serverSaw.add("message:" + utf8(m)));
              c.onError(e -> serverSaw.add("error:" + e.code()));
              accepted.add(c);
            });
    Socket raw = connect(server.server().address().orElseThrow(), SocketOptions.defaults());
    MessageSocket client = MessageSocket.wrap(raw, framing, TOLERANT);
    LinkedBlockingQueue<String> clientSaw = new LinkedBlockingQueue<>();
    client.onMessage(m -> clientSaw.add("message:" + utf8(m)));
    client.onError(e -> clientSaw.add("error:" + e.code()));
    MessageSocket conn = take(accepted);
    // Ten heartbeats each way (at least 1.0 s of them; 1.5 s at most in theory), i.e. more than the
    // 1 s timeout of silence from the application.
    awaitTrue(
        "10 heartbeats reach the client (server saw " + serverSaw + ", client " + clientSaw + ")",
        () -> raw.bytesRead() >= 10L * frameBytes);
    awaitTrue(
        "10 heartbeats reach the server (server saw " + serverSaw + ", client " + clientSaw + ")",
        () -> conn.socket().orElseThrow().bytesRead() >= 10L * frameBytes);
    assertThat(serverSaw).as("nothing delivered or failed at the server").isEmpty();
    assertThat(clientSaw).as("nothing delivered or failed at the client").isEmpty();
    client.send("after the heartbeats");
    assertThat(take(serverSaw)).isEqualTo("message:after the heartbeats");
    conn.send("back");
    assertThat(take(clientSaw)).isEqualTo("message:back");
  }

  @Test
  void heartbeatsKeepAnIdleLengthPrefixedConnectionOpenAndAreNeverDelivered() {
    idleConnectionStaysOpenAndDeliversNoHeartbeat(Framing.lengthPrefixed(), 4);
  }

  @Test
  void heartbeatsKeepAnIdleLineConnectionOpenAndAreNeverDelivered() {
    idleConnectionStaysOpenAndDeliversNoHeartbeat(Framing.lines(), 1);
  }

  @Test
  void aPeerThatStopsReadingAndSendingIsDestroyedWithEtimedout() {
    // The raw server reads nothing (paused) and writes nothing: a frozen process.
    var server = listen(ServerOptions.defaults().withPauseOnConnect(true), s -> {});
    // Before the connection exists: its receive clock cannot start earlier than this.
    long start = System.nanoTime();
    Socket raw = connect(server.address().orElseThrow(), SocketOptions.defaults());
    MessageSocket client = MessageSocket.wrap(raw, Framing.lengthPrefixed(), BEAT);
    CompletableFuture<NetException> error = new CompletableFuture<>();
    client.onMessage(m -> {});
    client.onError(error::complete);
    NetException e = await(error);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(e.code()).isEqualTo(ErrorCode.ETIMEDOUT);
    assertThat(e.getMessage()).contains("heartbeat timeout");
    assertThat(ms).isBetween(300L, 350L + SLACK_MS);
    assertThat(await(client.closed())).isTrue();
    // Heartbeats never queue: at most one frame was ever waiting in the write buffer.
    assertThat(raw.bytesWritten()).isLessThanOrEqualTo(4L * 4);
  }

  @Test
  void aServerDestroysASilentClientWithEtimedout() {
    CompletableFuture<NetException> error = new CompletableFuture<>();
    MessageServer server =
        heartbeatServer(
            serverOptions(),
            Framing.lengthPrefixed(),
            c -> {
              c.onMessage(m -> {});
              c.onError(error::complete);
            });
    connect(server.server().address().orElseThrow(), SocketOptions.defaults()).pause();
    NetException e = await(error);
    assertThat(e.code()).isEqualTo(ErrorCode.ETIMEDOUT);
    assertThat(e.getMessage()).contains("no byte from the peer within 300 ms (heartbeat timeout)");
  }

  @Test
  void aPeerSendingOnlyHeartbeatsIsAliveButSendsNoFirstMessage() {
    CompletableFuture<NetException> error = new CompletableFuture<>();
    LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    MessageServer server =
        heartbeatServer(
            serverOptions(TOLERANT).withFirstFrameTimeout(Duration.ofMillis(2500)),
            Framing.lengthPrefixed(),
            c -> {
              c.onMessage(m -> messages.add(utf8(m)));
              c.onError(error::complete);
            });
    long start = System.nanoTime(); // before the connection: its deadline starts later
    Socket raw = connect(server.server().address().orElseThrow(), SocketOptions.defaults());
    ticker.scheduleAtFixedRate(
        () -> raw.write(ByteBuffer.allocate(4)), 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    NetException e = await(error);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(e.getMessage())
        .as("the first-frame deadline, not the heartbeat")
        .contains("firstFrameTimeout");
    assertThat(ms).as("longer than the heartbeat timeout").isGreaterThanOrEqualTo(2000L);
    assertThat(messages).isEmpty();
  }

  @Test
  void aSlowlorisIsAliveToTheHeartbeatAndCutByTheFrameDeadline() {
    CompletableFuture<NetException> error = new CompletableFuture<>();
    MessageServer server =
        heartbeatServer(
            serverOptions(TOLERANT).withFrameTimeout(Duration.ofMillis(2500)),
            Framing.lengthPrefixed(),
            c -> {
              c.onMessage(m -> {});
              c.onError(error::complete);
            });
    Socket raw = connect(server.server().address().orElseThrow(), SocketOptions.defaults());
    // A header announcing 1000 bytes, then one byte per interval: never silent, never complete.
    raw.write(ByteBuffer.wrap(new byte[] {0, 0, 3, (byte) 0xe8}));
    ticker.scheduleAtFixedRate(
        () -> raw.write(ByteBuffer.wrap(new byte[] {'x'})),
        0,
        INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    NetException e = await(error);
    assertThat(e.code()).isEqualTo(ErrorCode.ETIMEDOUT);
    assertThat(e.getMessage()).contains("frameTimeout").doesNotContain("heartbeat");
  }

  @Test
  void theReconnectingClientReportsASilentServerAndComesBack() {
    LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    var server = listen(ServerOptions.defaults(), accepted::add);
    Endpoint ep = server.address().orElseThrow();
    LinkedBlockingQueue<Optional<NetException>> lost = new LinkedBlockingQueue<>();
    MessageClient client =
        closeLater(
            MessageClient.connect(
                ep,
                Framing.lengthPrefixed(),
                ReconnectOptions.defaults()
                    .withDelays(Duration.ofMillis(10), Duration.ofMillis(50))
                    .withHeartbeat(BEAT)));
    client.onDisconnect(lost::add);
    Socket first = take(accepted); // silent: never writes
    Optional<NetException> why = take(lost);
    assertThat(why).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ErrorCode.ETIMEDOUT));
    Socket second = take(accepted);
    assertThat(second).isNotSameAs(first);
    StringBuffer got = new StringBuffer();
    second.onData(b -> got.append(utf8(b)));
    await(client.send(bytes("hello")));
    awaitTrue("the message on the new connection", () -> got.indexOf("hello") >= 0);
  }

  @Test
  void aConnectionWithTheHeartbeatEndsCleanlyInBothDirections() {
    LinkedBlockingQueue<String> serverSaw = new LinkedBlockingQueue<>();
    MessageServer server =
        heartbeatServer(
            serverOptions(TOLERANT),
            Framing.lengthPrefixed(),
            c -> {
              c.onMessage(m -> serverSaw.add("message:" + utf8(m)));
              c.onEnd(() -> serverSaw.add("end"));
              c.onError(e -> serverSaw.add("error:" + e.code()));
              c.onClose(h -> serverSaw.add("close:" + h));
            });
    Socket raw = connect(server.server().address().orElseThrow(), SocketOptions.defaults());
    MessageSocket client = MessageSocket.wrap(raw, Framing.lengthPrefixed(), TOLERANT);
    LinkedBlockingQueue<String> clientSaw = new LinkedBlockingQueue<>();
    client.onMessage(m -> clientSaw.add("message:" + utf8(m)));
    client.onError(e -> clientSaw.add("error:" + e.code()));
    client.send("last");
    // Heartbeats have gone out after the message: the end must not race one of them.
    awaitTrue("3 heartbeats after the message", () -> raw.bytesWritten() >= 8 + 3 * 4);
    client.end();
    assertThat(take(serverSaw)).isEqualTo("message:last");
    assertThat(take(serverSaw)).isEqualTo("end");
    assertThat(take(serverSaw)).isEqualTo("close:false");
    assertThat(await(client.closed())).as("the client closed without an error").isFalse();
    assertThat(clientSaw).isEmpty();
  }

  @Test
  void anEmptyMessageIsRefusedWhileTheHeartbeatIsOn() {
    LinkedBlockingQueue<MessageSocket> accepted = new LinkedBlockingQueue<>();
    MessageServer server = heartbeatServer(serverOptions(), Framing.lines(), accepted::add);
    Socket raw = connect(server.server().address().orElseThrow(), SocketOptions.defaults());
    MessageSocket client = MessageSocket.wrap(raw, Framing.lines(), BEAT);
    take(accepted);
    assertThatThrownBy(() -> client.send(ByteBuffer.allocate(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> server.broadcast(ByteBuffer.allocate(0)))
        .isInstanceOf(IllegalArgumentException.class);
    MessageSocket plain = MessageSocket.wrap(raw, Framing.lines());
    assertThat(plain.send(ByteBuffer.allocate(0))).as("without the heartbeat: allowed").isTrue();
  }

  @Test
  void aFramingWithoutAnEmptyFrameCannotCarryTheHeartbeat() {
    Framing noEmpty =
        new Framing() {
          @Override
          public int maxFrameLength() {
            return 100;
          }

          @Override
          public Decoder newDecoder() {
            return Framing.lines().newDecoder();
          }

          @Override
          public ByteBuffer encode(ByteBuffer message) {
            if (!message.hasRemaining()) {
              throw new IllegalArgumentException("no empty messages");
            }
            return Framing.lines().encode(message);
          }

          @Override
          public String toString() {
            return "NoEmptyFraming";
          }
        };
    LinkedBlockingQueue<MessageSocket> accepted = new LinkedBlockingQueue<>();
    MessageServer server = heartbeatServer(MessageServerOptions.defaults(), noEmpty, accepted::add);
    Endpoint ep = server.server().address().orElseThrow();
    Socket raw = connect(ep, SocketOptions.defaults());
    take(accepted);
    assertThatThrownBy(() -> MessageSocket.wrap(raw, noEmpty, BEAT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NoEmptyFraming cannot carry the heartbeat");
    assertThatThrownBy(
            () ->
                MessageClient.connect(ep, noEmpty, ReconnectOptions.defaults().withHeartbeat(BEAT)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
