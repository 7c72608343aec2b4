package dev.jnet.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Server;
import dev.jnet.ServerOptions;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Text decoding ({@code setEncoding} and {@code onText}): a character split across reads is
 * delivered whole, once its last byte has arrived; malformed input becomes U+FFFD, also at the end
 * of the stream.
 */
public abstract class EncodingContract extends ContractSupport {

  @Test
  void aMultibyteCharacterSplitAcrossReadsIsDeliveredWhole() throws Exception {
    LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Long> reads = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              s.setEncoding(UTF_8);
              s.onText(texts::add);
              s.onData(b -> reads.add(s.bytesRead()));
            });
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    if (peer.channel().supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
      peer.channel()
          .setOption(StandardSocketOptions.TCP_NODELAY, true); // Unix sockets have no Nagle
    }

    byte[] bytes = "a€b😀c".getBytes(UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      peer.write(new byte[] {bytes[i]});
      awaitRead(reads, i + 1); // each byte arrives in a read of its own
    }
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      got.add(texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
    assertThat(got)
        .as("one text event per whole character")
        .containsExactly("a", "€", "b", "😀", "c");
    assertThat(texts).as("nothing else").isEmpty();
  }

  @Test
  void malformedInputBecomesReplacementCharacters() throws Exception {
    List<String> texts = new CopyOnWriteArrayList<>();
    LinkedBlockingQueue<Boolean> ended = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              s.setEncoding(UTF_8);
              s.onText(texts::add);
              s.onEnd(() -> ended.add(true));
            });
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    peer.write(
        new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xC3}); // 0xC3 starts a character that never ends
    peer.shutdownOutput();

    assertThat(ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("end").isTrue();
    assertThat(String.join("", texts)).isEqualTo("a\uFFFDb\uFFFD");
  }

  private static void awaitRead(LinkedBlockingQueue<Long> reads, long total)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Long seen = 0L;
    while (seen < total) {
      seen = reads.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(seen).as("jnet read byte " + total + " within " + WAIT).isNotNull();
    }
  }
}
