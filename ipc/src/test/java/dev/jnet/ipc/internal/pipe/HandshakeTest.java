package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  @Test
  void encodesTheDocumentedExampleByteForByte() {
    assertThat(Handshake.encode("ab12", 42))
        .containsExactly(
            0x4A, 0x4E, 0x45, 0x54, 0x50, 0x49, 0x50, 0x45, 0x31, 0x20, 0x61, 0x62, 0x31, 0x32,
            0x20, 0x34, 0x32, 0x0A);
  }

  @Test
  void theLongestLineStaysFarBelowPipeBuf() {
    byte[] line = Handshake.encode("x".repeat(64), Long.MAX_VALUE);
    assertThat(line.length).isLessThan(Handshake.MAX_LINE).isLessThan(512);
    assertThat(parse(new String(line, StandardCharsets.US_ASCII).strip()))
        .contains(new Handshake.Hello("x".repeat(64), Long.MAX_VALUE));
  }

  @Test
  void onlyTheFourthTokenAsksForTheAcceptByte() {
    byte[] line = Handshake.encode("x".repeat(64), Long.MAX_VALUE, true);
    assertThat(line.length).isLessThan(Handshake.MAX_ASKING_LINE).isLessThan(512);
    assertThat(parse(new String(line, StandardCharsets.US_ASCII).strip()))
        .contains(new Handshake.Hello("x".repeat(64), Long.MAX_VALUE, true));
    assertThat(parse("JNETPIPE1 _ab 42")).contains(new Handshake.Hello("_ab", 42, false));
    assertThat(parse("JNETPIPE1 ab 42 accept-bytes")).isEmpty();
    assertThat(parse("JNETPIPE1 ab 42 accept-byte x")).isEmpty();
  }

  @Test
  void refusesToEncodeAnIdOutsideTheGrammar() {
    assertThatThrownBy(() -> Handshake.encode("a b", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Handshake.encode("", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Handshake.encode("x".repeat(65), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedLinesParseToNothing() {
    for (String bad :
        List.of(
            "",
            "JNETPIPE1",
            "JNETPIPE1 ab",
            "JNETPIPE2 ab 1",
            "JNETPIPE1 ab 1 x",
            "JNETPIPE1 a/b 1",
            "JNETPIPE1 ab -1",
            "JNETPIPE1  ab 1",
            "jnetpipe1 ab 1",
            "JNETPIPE1 ab 1\r",
            "JNETPIPE1 ab 99999999999999999999")) {
      assertThat(parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void splitterYieldsLinesAcrossFeedsAndDropsOverlongOnes() {
    List<Optional<Handshake.Hello>> got = new ArrayList<>();
    Handshake.LineSplitter s = new Handshake.LineSplitter();
    byte[] stream =
        ("JNETPIPE1 a 1\nJNETPI" + "PE1 b 2\n" + "x".repeat(500) + "\nJNETPIPE1 c 3\n")
            .getBytes(StandardCharsets.US_ASCII);
    s.feed(stream, 0, 20, got::add);
    s.feed(stream, 20, stream.length - 20, got::add);
    assertThat(got)
        .containsExactly(
            Optional.of(new Handshake.Hello("a", 1)),
            Optional.of(new Handshake.Hello("b", 2)),
            Optional.empty(),
            Optional.of(new Handshake.Hello("c", 3)));
  }

  private static Optional<Handshake.Hello> parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return Handshake.parse(b, b.length);
  }
}
