package dev.jnet.ipc.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.ServerOptions;
import dev.jnet.ipc.UnixFixture;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.MessageSocket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message server frees itself from clients that stall: a frame started and never finished, or a
 * connection that never says anything, ends with {@code ETIMEDOUT} at the configured deadline;
 * clients that behave are untouched.
 */
@Timeout(120)
class StalledClientsTest {
  private static final int STALLED = 1000;
  private final RawClients clients = new RawClients();
  private final List<MessageServer> servers = new ArrayList<>();
  private final Queue<String> errors = new ConcurrentLinkedQueue<>();
  // error events come on a later turn of the loop than the close a client sees: count them to wait
  // for them
  private final Semaphore errorSeen = new Semaphore(0);

  @AfterEach
  void closeAll() {
    clients.close();
    for (MessageServer s : servers) {
      s.connections().forEach(MessageSocket::destroy);
      s.close().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  private Queue<String> errorsOnceThereAre(int n) throws InterruptedException {
    assertThat(errorSeen.tryAcquire(n, 10, TimeUnit.SECONDS))
        .as(n + " error events within 10 s; seen " + errors)
        .isTrue();
    errorSeen.release(n);
    return errors;
  }

  private Path serve(MessageServerOptions options, Consumer<MessageSocket> extra) {
    Path path = UnixFixture.freshPath();
    MessageServer s =
        MessageServer.create(
            options,
            Framing.lengthPrefixed(),
            conn -> {
              conn.onError(
                  e -> {
                    errors.add(e.code() + " " + e.getMessage());
                    errorSeen.release();
                  });
              conn.onMessage(conn::send);
              extra.accept(conn);
            });
    servers.add(s);
    s.listen(Endpoint.parse("unix:" + path))
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    return path;
  }

  @Test
  void theDeadlinesAreOnByDefault() {
    MessageServerOptions d = MessageServerOptions.defaults();
    assertThat(d.firstFrameTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.frameTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.maxBroadcastBacklog()).isEqualTo(1 << 20);
    MessageServerOptions off =
        d.withServerOptions(ServerOptions.defaults()).withFrameTimeout(Duration.ZERO);
    assertThat(off.frameTimeout()).isZero();
    assertThat(off.firstFrameTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aThousandClientsThatSendOneHeaderByteAndStallAreDisconnectedWithEtimedout()
      throws Exception {
    Path path =
        serve(
            MessageServerOptions.defaults()
                .withServerOptions(ServerOptions.defaults().withBacklog(STALLED))
                .withFirstFrameTimeout(Duration.ZERO)
                .withFrameTimeout(Duration.ofMillis(500)),
            c -> {});
    List<SocketChannel> stalled = new ArrayList<>();
    for (int i = 0; i < STALLED; i++) {
      SocketChannel ch = clients.connect(path);
      RawClients.writeAll(ch, new byte[] {0});
      stalled.add(ch);
    }
    long connected = System.nanoTime();
    Map<SocketChannel, byte[]> ended = RawClients.readToEnd(stalled, Duration.ofSeconds(60));
    System.out.println(
        "StalledClientsTest: "
            + ended.size()
            + " stalled clients disconnected "
            + Duration.ofNanos(System.nanoTime() - connected).toMillis()
            + " ms after the last one connected"
            + " (frameTimeout 500 ms)");
    assertThat(ended).as("clients disconnected").hasSize(STALLED);
    assertThat(ended.values()).allMatch(b -> b.length == 0);
    assertThat(errorsOnceThereAre(STALLED))
        .hasSize(STALLED)
        .allMatch(e -> e.startsWith(ErrorCode.ETIMEDOUT + " read ETIMEDOUT: a frame"));
  }

  @Test
  void aBareHeaderStallsNoLongerThanTheFrameTimeout() throws Exception {
    Path path =
        serve(MessageServerOptions.defaults().withFrameTimeout(Duration.ofMillis(300)), c -> {});
    SocketChannel bare = clients.connect(path);
    RawClients.writeAll(bare, RawClients.header(16 << 20));
    SocketChannel inject = clients.connect(path);
    RawClients.writeAll(inject, RawClients.header(16 << 20));
    RawClients.writeAll(inject, RawClients.header(6));
    RawClients.writeAll(inject, "INJECT".getBytes(StandardCharsets.US_ASCII));
    Map<SocketChannel, byte[]> ended =
        RawClients.readToEnd(List.of(bare, inject), Duration.ofSeconds(30));
    assertThat(ended).hasSize(2);
    assertThat(ended.get(inject))
        .as("INJECT is payload of the 16 MiB frame, never a message")
        .isEmpty();
    assertThat(errorsOnceThereAre(2)).hasSize(2).allMatch(e -> e.startsWith("ETIMEDOUT"));
  }

  @Test
  void clientsThatSayNothingMeetTheFirstFrameTimeoutWhileOneThatSpokeStays() throws Exception {
    Path path =
        serve(
            MessageServerOptions.defaults().withFirstFrameTimeout(Duration.ofSeconds(1)), c -> {});
    SocketChannel talker = clients.connect(path);
    RawClients.writeAll(talker, frame("hello"));
    List<SocketChannel> silent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      silent.add(clients.connect(path));
    }
    Map<SocketChannel, byte[]> ended = RawClients.readToEnd(silent, Duration.ofSeconds(30));
    assertThat(ended).hasSize(20);
    assertThat(errorsOnceThereAre(20))
        .hasSize(20)
        .allMatch(e -> e.startsWith(ErrorCode.ETIMEDOUT + " read ETIMEDOUT: no complete"));
    // the talker's deadline passed too, long ago: it is still served
    RawClients.writeAll(talker, frame("again"));
    talker.shutdownOutput();
    byte[] back = RawClients.readToEnd(List.of(talker), Duration.ofSeconds(10)).get(talker);
    assertThat(back).isEqualTo(concat(frame("hello"), frame("again")));
  }

  @Test
  void aFrameThatCompletesInTimeKeepsTheConnectionWhateverTheFramesBefore() throws Exception {
    Path path =
        serve(MessageServerOptions.defaults().withFrameTimeout(Duration.ofSeconds(2)), c -> {});
    SocketChannel slow = clients.connect(path);
    SocketChannel stall = clients.connect(path);
    byte[] f = frame("piecewise");
    RawClients.writeAll(slow, java.util.Arrays.copyOf(f, 3));
    RawClients.writeAll(stall, new byte[] {0, 0});
    // the stalled client's deadline passing proves time went by; the slow one finished its frame
    // before that
    RawClients.writeAll(slow, java.util.Arrays.copyOfRange(f, 3, f.length));
    assertThat(RawClients.readToEnd(List.of(stall), Duration.ofSeconds(30))).containsKey(stall);
    slow.shutdownOutput();
    assertThat(RawClients.readToEnd(List.of(slow), Duration.ofSeconds(10)).get(slow)).isEqualTo(f);
    assertThat(errorsOnceThereAre(1)).hasSize(1);
  }

  private static byte[] frame(String text) {
    byte[] m = text.getBytes(StandardCharsets.US_ASCII);
    return concat(RawClients.header(m.length), m);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
