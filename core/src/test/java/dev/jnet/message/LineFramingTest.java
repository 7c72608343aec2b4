package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramingTest {
  private static final Framing LINES = Framing.lines();
  private static final List<String> SET = List.of("", "{\"a\":1}", "", "ok", "\u0000\r\u00ff", "");

  @Test
  void encodesTheMessageThenOneLineFeed() {
    assertThat(Decoding.text(LINES.encode(ByteBuffer.wrap(Decoding.bytes("{\"a\":1}")))))
        .isEqualTo("{\"a\":1}\n");
    assertThat(Decoding.text(LINES.encode(ByteBuffer.allocate(0)))).isEqualTo("\n");
  }

  @Test
  void everySplitIntoTwoOrThreeChunksYieldsTheSameWholeLines() {
    byte[] stream = Decoding.encodeAll(LINES, SET);
    for (int i = 0; i <= stream.length; i++) {
      for (int j = i; j <= stream.length; j++) {
        Decoding d = Decoding.run(LINES, stream, i, j);
        assertThat(d.error()).as("cuts %d,%d", i, j).isNull();
        assertThat(d.messages()).as("cuts %d,%d", i, j).isEqualTo(SET);
      }
    }
  }

  @Test
  void crlfIsAcceptedOnInputAtEverySplit() {
    byte[] stream = Decoding.bytes("a\r\n\r\nbc\r\n");
    for (int i = 0; i <= stream.length; i++) {
      assertThat(Decoding.run(LINES, stream, i).messages())
          .as("cut %d", i)
          .containsExactly("a", "", "bc");
    }
    assertThat(Decoding.oneByteAtATime(LINES, stream).messages()).containsExactly("a", "", "bc");
  }

  @Test
  void emptyLinesAtStartMiddleAndEndAreEmptyMessages() {
    assertThat(Decoding.oneByteAtATime(LINES, Decoding.bytes("\nx\n\n\ny\n\n")).messages())
        .containsExactly("", "x", "", "", "y", "");
  }

  @Test
  void aLineLongerThanTheLimitFailsAsSoonAsTheHeldBytesPassIt() {
    Framing small = LineFraming.of(4);
    Decoding d = Decoding.oneByteAtATime(small, Decoding.bytes("abcd\nabcdef"));
    assertThat(d.messages()).containsExactly("abcd");
    assertThat(d.error().code()).isEqualTo(ErrorCode.ERR_FRAME_TOO_LARGE);
    Decoding whole = Decoding.run(small, Decoding.bytes("abcdefgh\n"));
    assertThat(whole.error().code()).isEqualTo(ErrorCode.ERR_FRAME_TOO_LARGE);
  }

  @Test
  void theLimitDoesNotCountTheCarriageReturn() {
    assertThat(Decoding.oneByteAtATime(LineFraming.of(4), Decoding.bytes("abcd\r\n")).messages())
        .containsExactly("abcd");
  }

  @Test
  void bytesAfterTheLastLineFeedAreATruncatedMessage() {
    Decoding d = Decoding.run(LINES, Decoding.bytes("one\ntw"));
    assertThat(d.messages()).containsExactly("one");
    assertThat(d.error().code()).isEqualTo(ErrorCode.ERR_FRAME_TRUNCATED);
  }

  @Test
  void encodingRefusesALineFeedInsideOrACarriageReturnAtTheEnd() {
    assertThatThrownBy(() -> LINES.encode(ByteBuffer.wrap(Decoding.bytes("a\nb"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line feed");
    assertThatThrownBy(() -> LINES.encode(ByteBuffer.wrap(Decoding.bytes("a\r"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carriage return");
  }
}
