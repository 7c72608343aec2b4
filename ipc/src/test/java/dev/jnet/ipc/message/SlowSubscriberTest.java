package dev.jnet.ipc.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.ipc.UnixFixture;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.MessageSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broadcast policy: a subscriber that stops reading is destroyed with {@code ERR_BUFFER_FULL}
 * once it lags more than {@code maxBroadcastBacklog}, with an error event; a subscriber that reads
 * gets every message, in order.
 */
@Timeout(120)
class SlowSubscriberTest {
  private static final int SIZE = 64 * 1024;
  private static final int MAX_BROADCASTS = 2000;
  private final RawClients clients = new RawClients();
  private final List<MessageSocket> sockets = new ArrayList<>();
  private MessageServer server;

  @AfterEach
  void closeAll() {
    clients.close();
    sockets.forEach(MessageSocket::destroy);
    server.connections().forEach(MessageSocket::destroy);
    server.close().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void aSubscriberThatStopsReadingIsCutOffWithAnErrorAndTheReaderMissesNothing() throws Exception {
    Path path = UnixFixture.freshPath();
    Map<Integer, CompletableFuture<String>> errors = new ConcurrentHashMap<>();
    LinkedBlockingQueue<MessageSocket> accepted = new LinkedBlockingQueue<>();
    server =
        MessageServer.create(
            MessageServerOptions.defaults().withMaxBroadcastBacklog(256 * 1024),
            Framing.lengthPrefixed(),
            conn -> {
              CompletableFuture<String> error = new CompletableFuture<>();
              errors.put(errors.size(), error);
              conn.onError(e -> error.complete(e.code() + " " + e.getMessage()));
              conn.onMessage(m -> {});
              accepted.add(conn);
            });
    server
        .listen(Endpoint.parse("unix:" + path))
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    SocketChannel stalled = clients.connect(path);
    assertThat(accepted.poll(10, TimeUnit.SECONDS)).isNotNull();
    LinkedBlockingQueue<Integer> got = new LinkedBlockingQueue<>();
    MessageSocket reader =
        MessageSocket.wrap(
            Net.createConnection(Endpoint.parse("unix:" + path)), Framing.lengthPrefixed());
    sockets.add(reader);
    reader.onMessage(m -> got.add(m.getInt(m.position())));
    assertThat(accepted.poll(10, TimeUnit.SECONDS)).isNotNull();

    int sentToBoth = 0;
    for (int i = 0; i < MAX_BROADCASTS && !errors.get(0).isDone(); i++) {
      int n = server.broadcast(ByteBuffer.allocate(SIZE).putInt(0, i));
      sentToBoth += n == 2 ? 1 : 0;
      assertThat(got.poll(10, TimeUnit.SECONDS)).as("the reader gets message %d", i).isEqualTo(i);
    }
    assertThat(errors.get(0).get(10, TimeUnit.SECONDS))
        .startsWith(ErrorCode.ERR_BUFFER_FULL + " ")
        .contains("slow subscriber")
        .contains("maxBroadcastBacklog");
    assertThat(errors.get(1)).isNotDone();
    assertThat(server.broadcast(ByteBuffer.allocate(4).putInt(0, -1)))
        .as("only the reader is left")
        .isEqualTo(1);
    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(-1);
    System.out.println(
        "SlowSubscriberTest: the stalled subscriber was cut off after "
            + sentToBoth
            + " broadcasts of 64 KiB (limit 256 KiB plus the kernel's socket buffers)");
    assertThat(RawClients.readToEnd(List.of(stalled), java.time.Duration.ofSeconds(30)))
        .containsKey(stalled);
  }
}
