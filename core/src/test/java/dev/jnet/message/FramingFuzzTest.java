package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnet.ErrorCode;
import java.util.Arrays;

/**
 * Fuzzes the built-in decoders: whatever the bytes and the chunking, a decoder yields the same
 * messages and the same error as when fed the whole stream at once, never a message above the
 * limit, and no exception other than the two frame errors. The committed corpus (under {@code
 * src/test/resources/fuzz}) is replayed by every build; {@code mvn -Pfuzz} fuzzes for real.
 */
class FramingFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void lengthPrefixedDecodingDoesNotDependOnChunking(FuzzedDataProvider data) {
    int max = data.consumeInt(0, 300);
    int[] cuts = cuts(data);
    byte[] stream = data.consumeRemainingAsBytes();
    Framing lp = LengthPrefixedFraming.of(max);
    Decoding whole = check(lp, stream, cuts);
    if (whole.error() == null) {
      assertThat(Decoding.encodeAll(lp, whole.messages())).isEqualTo(stream);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void lineDecodingDoesNotDependOnChunking(FuzzedDataProvider data) {
    int max = data.consumeInt(0, 300);
    int[] cuts = cuts(data);
    byte[] stream = data.consumeRemainingAsBytes();
    Decoding whole = check(LineFraming.of(max), stream, cuts);
    for (String m : whole.messages()) {
      assertThat(m).doesNotContain("\n");
    }
  }

  private static int[] cuts(FuzzedDataProvider data) {
    int n = data.consumeInt(0, 8);
    int[] cuts = new int[n];
    for (int i = 0; i < n; i++) {
      cuts[i] = data.consumeInt(0, 1 << 12);
    }
    return cuts;
  }

  private static Decoding check(Framing framing, byte[] stream, int[] rawCuts) {
    int[] cuts = Arrays.stream(rawCuts).map(c -> Math.min(c, stream.length)).sorted().toArray();
    Decoding whole = Decoding.run(framing, stream);
    Decoding chunked = Decoding.run(framing, stream, cuts);
    Decoding bytewise = Decoding.oneByteAtATime(framing, stream);
    for (Decoding d : new Decoding[] {chunked, bytewise}) {
      assertThat(d.messages()).isEqualTo(whole.messages());
      assertThat(code(d)).isEqualTo(code(whole));
    }
    assertThat(code(whole))
        .isIn("none", ErrorCode.ERR_FRAME_TOO_LARGE.name(), ErrorCode.ERR_FRAME_TRUNCATED.name());
    for (String m : whole.messages()) {
      assertThat(m.length()).isLessThanOrEqualTo(framing.maxFrameLength());
    }
    return whole;
  }

  private static String code(Decoding d) {
    return d.error() == null ? "none" : d.error().code().name();
  }
}
