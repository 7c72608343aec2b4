package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code jnet connect --format/--input/--crlf} against {@code jnet echo}. */
class DumpIT extends SpawningTest {
  private static final String CLOCK = "\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";

  @Test
  void textFormatShowsBothDirectionsWithOffsetsAndThePeersEnd() throws Exception {
    String endpoint = echoServer();
    Spawned c =
        spawn(Spawned.jnet("connect", "--format", "text", endpoint).redirectInput(file("hi\n")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isZero();
    assertThat(c.stdout())
        .containsPattern("#1 > " + CLOCK + " off=0 len=3 \"hi\\\\n\"\n")
        .containsPattern("#1 < " + CLOCK + " off=0 len=3 \"hi\\\\n\"\n")
        .containsPattern("#1 \\* " + CLOCK + " end the peer ended its side\n")
        .doesNotContain("\u001b");
  }

  @Test
  void hexInputIsSentAsBytesAndDumpedInHex() throws Exception {
    String endpoint = echoServer();
    Spawned c =
        spawn(
            Spawned.jnet("connect", "--input", "hex", "--format", "hex", endpoint)
                .redirectInput(file("00 01 fe ff 41\n")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isZero();
    assertThat(c.stdout())
        .containsPattern(
            "#1 < " + CLOCK + " off=00000000 len=5  00 01 fe ff 41 {34}  \\|\\.\\.\\.\\.A\\|\n");
  }

  @Test
  void crlfAndEscapesChangeOnlyWhatIsSent() throws Exception {
    String endpoint = echoServer();
    Spawned c =
        spawn(
            Spawned.jnet("connect", "--input", "escapes", "--crlf", endpoint)
                .redirectInput(file("a\\tb\n")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isZero();
    assertThat(c.stdout()).isEqualTo("a\tb\r\n");
  }

  @Test
  void ndjsonGivesOneObjectPerChunk() throws Exception {
    String endpoint = echoServer();
    Spawned c =
        spawn(Spawned.jnet("connect", "--format", "ndjson", endpoint).redirectInput(file("ok")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isZero();
    assertThat(c.stdout().lines()).allMatch(l -> l.startsWith("{\"conn\":1,") && l.endsWith("}"));
    assertThat(c.stdout())
        .contains("\"dir\":\"in\"", "\"dir\":\"out\"", "\"data\":\"b2s=\",\"text\":\"ok\"");
  }
}
