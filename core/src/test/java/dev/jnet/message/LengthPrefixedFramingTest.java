package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthPrefixedFramingTest {
  private static final Framing LP = Framing.lengthPrefixed();
  private static final List<String> SET = List.of("", "a", "", "hello", "\u0000\u00ff\n", "");

  @Test
  void encodesAFourByteBigEndianLengthThenThePayload() {
    ByteBuffer f = LP.encode(ByteBuffer.wrap(Decoding.bytes("HELLO")));
    assertThat(Decoding.bytes(Decoding.text(f)))
        .containsExactly(0, 0, 0, 5, 'H', 'E', 'L', 'L', 'O');
    assertThat(Decoding.bytes(Decoding.text(LP.encode(ByteBuffer.allocate(0)))))
        .containsExactly(0, 0, 0, 0);
  }

  @Test
  void everySplitIntoTwoOrThreeChunksYieldsTheSameWholeMessages() {
    byte[] stream = Decoding.encodeAll(LP, SET);
    for (int i = 0; i <= stream.length; i++) {
      for (int j = i; j <= stream.length; j++) {
        Decoding d = Decoding.run(LP, stream, i, j);
        assertThat(d.error()).as("cuts %d,%d", i, j).isNull();
        assertThat(d.messages()).as("cuts %d,%d", i, j).isEqualTo(SET);
      }
    }
  }

  @Test
  void oneByteWritesYieldTheSameWholeMessages() {
    assertThat(Decoding.oneByteAtATime(LP, Decoding.encodeAll(LP, SET)).messages()).isEqualTo(SET);
  }

  @Test
  void zeroLengthFramesAtStartMiddleAndEndAreEmptyMessages() {
    List<String> set = List.of("", "x", "", "", "y", "");
    assertThat(Decoding.run(LP, Decoding.encodeAll(LP, set)).messages()).isEqualTo(set);
  }

  @Test
  void aLengthAboveTheLimitFailsBeforeAllocatingAndKeepsEarlierMessages() {
    byte[] stream = Decoding.bytes("\u0000\u0000\u0000\u0001A\u0000\u0000\u0000\u0005");
    Decoding d = Decoding.run(LengthPrefixedFraming.of(4), stream);
    assertThat(d.messages()).containsExactly("A");
    assertThat(d.error().code()).isEqualTo(ErrorCode.ERR_FRAME_TOO_LARGE);
    assertThat(d.error()).hasMessageContaining("5 bytes").hasMessageContaining("limit of 4");
  }

  @Test
  void theLengthIsReadUnsignedSoFfffffffIsTooLargeNotNegative() {
    Decoding d =
        Decoding.oneByteAtATime(
            LP, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
    assertThat(d.error().code()).isEqualTo(ErrorCode.ERR_FRAME_TOO_LARGE);
    assertThat(d.error()).hasMessageContaining("4294967295");
  }

  @Test
  void aLengthOfExactlyTheLimitIsAccepted() {
    byte[] stream = Decoding.encodeAll(LengthPrefixedFraming.of(3), List.of("abc"));
    assertThat(Decoding.run(LengthPrefixedFraming.of(3), stream).messages()).containsExactly("abc");
  }

  @Test
  void aStreamEndingInsideTheLengthOrThePayloadIsTruncated() {
    byte[] whole = Decoding.encodeAll(LP, List.of("ok", "hello"));
    for (int cut = 7; cut < whole.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(whole, cut);
      Decoding d = Decoding.run(LP, part);
      assertThat(d.messages()).as("cut at %d", cut).containsExactly("ok");
      assertThat(d.error().code()).as("cut at %d", cut).isEqualTo(ErrorCode.ERR_FRAME_TRUNCATED);
    }
  }

  @Test
  void encodingAMessageAboveTheLimitIsRefused() {
    assertThatThrownBy(() -> LengthPrefixedFraming.of(2).encode(ByteBuffer.allocate(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFrameLength 2");
  }

  @Test
  void encodingLeavesTheCallersBufferPositionAlone() {
    ByteBuffer m = ByteBuffer.wrap(Decoding.bytes("xyz"));
    LP.encode(m);
    assertThat(m.remaining()).isEqualTo(3);
  }

  @Test
  void theDefaultLimitIs16MiB() {
    assertThat(Framing.lengthPrefixed().maxFrameLength()).isEqualTo(16 * 1024 * 1024);
    assertThat(Framing.lines().maxFrameLength()).isEqualTo(16 * 1024 * 1024);
  }
}
