package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.dump.Direction;
import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.session.Traffic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DumpTest {
  private static final String CLOCK = "\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void textLinesCarryIdDirectionTimeOffsetLengthAndEscapedData() {
    String line = new Dump(Format.TEXT, false).render(3, Direction.IN, 10, bytes("hi\r\n\u0001\""));
    assertThat(line).matches("#3 < " + CLOCK + " off=10 len=6 \"hi\\\\r\\\\n\\\\x01\\\\\"\"\n");
  }

  @Test
  void hexLinesShowOffsetHexAndAsciiColumnsSixteenBytesARow() {
    String dump =
        new Dump(Format.HEX, false).render(1, Direction.OUT, 16, bytes("0123456789abcdefXY\n"));
    String[] lines = dump.split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0])
        .matches(
            "#1 > "
                + CLOCK
                + " off=00000010 len=16 "
                + " 30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  \\|0123456789abcdef\\|");
    assertThat(lines[1])
        .matches("#1 > " + CLOCK + " off=00000020 len=3 " + " 58 59 0a {40}  \\|XY\\.\\|");
  }

  @Test
  void ndjsonCarriesBase64AndTextWhenUtf8() {
    String json = new Dump(Format.NDJSON, false).render(2, Direction.IN, 0, bytes("hi\n"));
    assertThat(json)
        .matches(
            "\\{\"conn\":2,\"dir\":\"in\",\"ts\":\"[^\"]+Z\",\"off\":0,\"len\":3,"
                + "\"data\":\"aGkK\",\"text\":\"hi\\\\n\"}\n");
    String binary = new Dump(Format.NDJSON, false).render(2, Direction.OUT, 5, bytes("\u00ff"));
    assertThat(binary)
        .contains("\"dir\":\"out\"", "\"off\":5", "\"data\":\"/w==\"")
        .doesNotContain("text");
  }

  @Test
  void colourOnlyWrapsTheLabel() {
    String line = new Dump(Format.TEXT, true).render(1, Direction.IN, 0, bytes("x"));
    assertThat(line).startsWith("\u001b[32m#1 <\u001b[0m ");
    assertThat(new Dump(Format.TEXT, false).render(1, Direction.IN, 0, bytes("x")))
        .doesNotContain("\u001b");
  }

  @Test
  void trafficKeepsAnOffsetPerDirection() {
    Traffic t = new Traffic(new Dump(Format.TEXT, false), 7);
    t.render(Direction.IN, bytes("abc"));
    t.render(Direction.OUT, bytes("z"));
    String third = StandardCharsets.UTF_8.decode(t.render(Direction.IN, bytes("d"))).toString();
    assertThat(third).contains(" off=3 len=1 ");
  }
}
