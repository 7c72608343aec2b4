package dev.jnet.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.cli.spec.InputMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputDecoderTest {
  private static String decode(InputDecoder d, String... chunks) {
    StringBuilder sb = new StringBuilder();
    for (String c : chunks) {
      sb.append(
          StandardCharsets.ISO_8859_1.decode(
              d.decode(ByteBuffer.wrap(c.getBytes(StandardCharsets.ISO_8859_1)))));
    }
    d.finish();
    return sb.toString();
  }

  @Test
  void hexIgnoresSeparatorsAndCompletesAPairSplitAcrossReads() {
    assertThat(decode(new InputDecoder(InputMode.HEX, false), "48 6", "9:0a\n", "ff"))
        .isEqualTo("Hi\n\u00ff");
  }

  @Test
  void hexRefusesANonHexCharacter() {
    assertThatThrownBy(() -> decode(new InputDecoder(InputMode.HEX, false), "4g"))
        .hasMessageContaining("not a hex digit: 'g'");
  }

  @Test
  void escapesAreDecodedEvenWhenSplit() {
    assertThat(decode(new InputDecoder(InputMode.ESCAPES, false), "a\\r\\", "n\\x0", "0\\t\\\\"))
        .isEqualTo("a\r\n\u0000\t\\");
  }

  @Test
  void anUnfinishedEscapeAtTheEndIsAnError() {
    assertThatThrownBy(() -> decode(new InputDecoder(InputMode.ESCAPES, false), "ab\\x4"))
        .hasMessageContaining("input ends inside");
  }

  @Test
  void crlfTurnsLoneLineFeedsIntoCrlfOnly() {
    assertThat(decode(new InputDecoder(InputMode.RAW, true), "a\nb\r", "\nc\n"))
        .isEqualTo("a\r\nb\r\nc\r\n");
  }
}
