package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoders allocate for what has arrived, never for what a header announces: a bare 16 MiB
 * header costs no payload buffer, and a payload's buffer grows with its bytes.
 */
class DecoderMemoryTest {
  private static final int HEADERS = 8;
  private static final int MIB_16 = 16 << 20;

  /** The largest block a payload grows by (the decoder's step). */
  private static final int STEP = 1 << 20;

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private static ByteBuffer header(int length) {
    return ByteBuffer.allocate(4).putInt(0, length);
  }

  @Test
  void aBareMaximalHeaderAllocatesNoPayloadBuffer() throws Exception {
    List<Framing.Decoder> decoders = new ArrayList<>();
    for (int i = 0; i < HEADERS; i++) {
      decoders.add(Framing.lengthPrefixed().newDecoder());
    }
    List<ByteBuffer> out = new ArrayList<>();
    long before = allocated();
    for (Framing.Decoder d : decoders) {
      d.decode(header(MIB_16), out::add);
    }
    long perHeader = (allocated() - before) / HEADERS;
    System.out.println("DecoderMemoryTest: bytes allocated per bare 16 MiB header: " + perHeader);
    assertThat(out).isEmpty();
    assertThat(decoders).allMatch(Framing.Decoder::hasPartialFrame);
    assertThat(perHeader).isLessThan(4096);
  }

  @Test
  void aPayloadBufferGrowsWithTheBytesThatArrive() throws Exception {
    long[] warmUp = spentOnHeaderThen(1000, 5 * STEP);
    long[] spent = spentOnHeaderThen(1000, 5 * STEP);
    System.out.println(
        "DecoderMemoryTest: bytes allocated for 1000 bytes after a 16 MiB header: "
            + spent[0]
            + " (warm-up run: "
            + warmUp[0]
            + ")");
    assertThat(spent[0]).isLessThan(2 * 1000 + 256 + 1024);
    assertThat(spent[1]).isLessThan(5 * STEP + STEP + 1024);
  }

  /**
   * Feeds a 16 MiB header, then chunks of the given sizes, and returns the bytes allocated by each
   * chunk.
   */
  private static long[] spentOnHeaderThen(int... sizes) throws Exception {
    Framing.Decoder d = Framing.lengthPrefixed().newDecoder();
    List<ByteBuffer> out = new ArrayList<>();
    d.decode(header(MIB_16), out::add);
    long[] spent = new long[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      ByteBuffer chunk = ByteBuffer.allocate(sizes[i]);
      long before = allocated();
      d.decode(chunk, out::add);
      spent[i] = allocated() - before;
    }
    assertThat(out).isEmpty();
    return spent;
  }

  @Test
  void aGrowingPayloadArrivesWholeWhateverItsChunks() throws Exception {
    assertArrivesWhole(5000, 1, 7, 300);
    assertArrivesWhole(3 * STEP + 17, 4093, 65536, 200_000);
  }

  private static void assertArrivesWhole(int len, int... chunks) throws Exception {
    byte[] body = new byte[len];
    for (int i = 0; i < len; i++) {
      body[i] = (byte) (i * 31 + 7);
    }
    for (int chunk : chunks) {
      Framing.Decoder d = Framing.lengthPrefixed().newDecoder();
      List<ByteBuffer> out = new ArrayList<>();
      d.decode(header(len), out::add);
      for (int from = 0; from < len; from += chunk) {
        d.decode(ByteBuffer.wrap(body, from, Math.min(chunk, len - from)).slice(), out::add);
      }
      assertThat(out).as("chunks of %d", chunk).hasSize(1);
      byte[] got = new byte[len];
      out.get(0).duplicate().get(got);
      assertThat(got).as("chunks of %d", chunk).isEqualTo(body);
      assertThat(d.hasPartialFrame()).isFalse();
    }
  }

  @Test
  void aWholePayloadCostsAtMostAConstantFactorOfItsSize() throws Exception {
    int len = 4 << 20;
    Framing.Decoder d = Framing.lengthPrefixed().newDecoder();
    List<ByteBuffer> out = new ArrayList<>();
    d.decode(header(len), out::add);
    ByteBuffer piece = ByteBuffer.allocate(64 * 1024);
    long before = allocated();
    for (int sent = 0; sent < len; sent += piece.capacity()) {
      d.decode(piece.clear(), out::add);
    }
    long spent = allocated() - before;
    System.out.println(
        "DecoderMemoryTest: bytes allocated for a 4 MiB payload in 64 KiB reads: " + spent);
    assertThat(out).hasSize(1);
    assertThat(spent).isLessThan(3L * len);
  }
}
