package dev.jnet.ipc.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.ipc.UnixFixture;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.MessageSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message listener that throws loses nothing else and never shifts the framing: 1,999 messages in
 * 11-byte frames, sent in one burst so that many share a read, all come back in order while the
 * listener throws on every third.
 */
@Timeout(60)
class MessageListenerFailureTest {
  private static final int COUNT = 1999;
  private final RawClients clients = new RawClients();
  private final List<MessageServer> servers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    clients.close();
    for (MessageServer s : servers) {
      s.connections().forEach(MessageSocket::destroy);
      s.close().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  private Path serve(Consumer<MessageSocket> onConnection) {
    return serve(Framing.lengthPrefixed(), onConnection);
  }

  private Path serve(Framing framing, Consumer<MessageSocket> onConnection) {
    Path path = UnixFixture.freshPath();
    MessageServer s = MessageServer.create(MessageServerOptions.defaults(), framing, onConnection);
    servers.add(s);
    s.listen(Endpoint.parse("unix:" + path))
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    return path;
  }

  /** Message i as a 7-byte payload: an 11-byte frame. */
  private static byte[] burst() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < COUNT; i++) {
      out.writeBytes(RawClients.header(7));
      out.writeBytes(String.format("m%06d", i).getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  @Test
  void aListenerThatThrowsLosesNoOtherMessageAndTheFramingStaysInStep() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> errors = new CopyOnWriteArrayList<>();
    Path path =
        serve(
            conn -> {
              conn.onError(e -> errors.add(e.code().name()));
              conn.onMessage(
                  m -> {
                    String text = StandardCharsets.US_ASCII.decode(m.duplicate()).toString();
                    seen.add(text);
                    conn.send(m);
                    if (seen.size() % 3 == 0) {
                      throw new IllegalStateException("listener bug on " + text);
                    }
                  });
              conn.onMessage(
                  m -> {}); // a second listener: the message after a throw still reaches it
            });
    SocketChannel ch = clients.connect(path);
    byte[] sent = burst();
    RawClients.writeAll(ch, sent);
    ch.shutdownOutput();
    Map<SocketChannel, byte[]> back = RawClients.readToEnd(List.of(ch), Duration.ofSeconds(30));

    assertThat(errors).isEmpty();
    assertThat(seen).hasSize(COUNT);
    for (int i = 0; i < COUNT; i++) {
      assertThat(seen.get(i)).isEqualTo(String.format("m%06d", i));
    }
    assertThat(back.get(ch)).as("every message echoed, in order").isEqualTo(sent);
  }

  @Test
  void aListenerThatThrowsAnErrorDestroysItsConnectionWithAnErrorEvent() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> error = new CompletableFuture<>();
    Path path =
        serve(
            conn -> {
              conn.onError(e -> error.complete(e.code() + " " + e.getMessage()));
              conn.onMessage(
                  m -> {
                    seen.add(StandardCharsets.US_ASCII.decode(m.duplicate()).toString());
                    if (seen.size() == 5) {
                      throw new AssertionError("an Error from a listener");
                    }
                  });
            });
    SocketChannel ch = clients.connect(path);
    RawClients.writeAll(ch, burst());
    assertThat(error.get(10, TimeUnit.SECONDS))
        .startsWith(ErrorCode.ERR_UNHANDLED_ERROR.name())
        .contains("AssertionError");
    assertThat(RawClients.readToEnd(List.of(ch), Duration.ofSeconds(10))).containsKey(ch);
    assertThat(seen).containsExactly("m000000", "m000001", "m000002", "m000003", "m000004");
  }

  @Test
  void aDecoderThatFailsDestroysItsConnectionAndNeverReadsOn() throws Exception {
    Framing broken =
        new Framing() {
          @Override
          public int maxFrameLength() {
            return 100;
          }

          @Override
          public Decoder newDecoder() {
            Decoder lp = Framing.lengthPrefixed().newDecoder();
            return new Decoder() {
              private int calls;

              @Override
              public void decode(ByteBuffer chunk, Consumer<ByteBuffer> sink)
                  throws dev.jnet.NetException {
                if (++calls == 1) {
                  throw new OutOfMemoryError("simulated: Java heap space");
                }
                lp.decode(chunk, sink);
              }

              @Override
              public boolean hasPartialFrame() {
                return lp.hasPartialFrame();
              }
            };
          }

          @Override
          public ByteBuffer encode(ByteBuffer message) {
            return Framing.lengthPrefixed().encode(message);
          }
        };
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<ErrorCode> error = new CompletableFuture<>();
    Path path =
        serve(
            broken,
            conn -> {
              conn.onError(e -> error.complete(e.code()));
              conn.onMessage(
                  m -> seen.add(StandardCharsets.US_ASCII.decode(m.duplicate()).toString()));
            });
    SocketChannel ch = clients.connect(path);
    try {
      RawClients.writeAll(ch, burst());
    } catch (java.io.IOException closedMidWrite) {
      // the server may destroy the connection while the burst is still going out
    }
    assertThat(error.get(10, TimeUnit.SECONDS)).isEqualTo(ErrorCode.ENOMEM);
    assertThat(RawClients.readToEnd(List.of(ch), Duration.ofSeconds(10))).containsKey(ch);
    assertThat(seen).as("nothing is decoded after the decoder failed").isEmpty();
  }
}
