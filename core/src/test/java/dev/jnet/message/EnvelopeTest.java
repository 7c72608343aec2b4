package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void aRequestIsTheLetterQTheDecimalIdASpaceAndTheBody() {
    ByteBuffer body = ByteBuffer.wrap(Decoding.bytes("{\"op\":\"sum\",\"args\":[1,2]}"));
    ByteBuffer p = new Envelope(Envelope.Kind.REQUEST, 7, body).encode();
    assertThat(Decoding.text(p)).isEqualTo("Q7 {\"op\":\"sum\",\"args\":[1,2]}");
    ByteBuffer framed = Framing.lengthPrefixed().encode(p);
    assertThat(framed.getInt(0)).isEqualTo(28);
  }

  @Test
  void everyKindRoundTripsWithTheLargestId() {
    for (Envelope.Kind k : Envelope.Kind.values()) {
      Envelope e = new Envelope(k, 4294967295L, ByteBuffer.wrap(Decoding.bytes("b o d y")));
      Envelope back = Envelope.parse(e.encode()).orElseThrow();
      assertThat(back.kind()).isEqualTo(k);
      assertThat(back.id()).isEqualTo(4294967295L);
      assertThat(Decoding.text(back.body())).isEqualTo("b o d y");
    }
  }

  @Test
  void aOneWayMessageHasIdZeroAndMayHaveAnEmptyBody() {
    assertThat(Decoding.text(Envelope.oneWay(ByteBuffer.allocate(0)))).isEqualTo("M0 ");
    assertThat(
            Envelope.parse(ByteBuffer.wrap(Decoding.bytes("M0 "))).orElseThrow().body().remaining())
        .isZero();
  }

  @Test
  void malformedPayloadsDoNotParse() {
    for (String bad :
        new String[] {
          "",
          "Q",
          "Q7",
          "X7 a",
          "Q 7",
          "Q07 a",
          "Q-1 a",
          "Q4294967296 a",
          "Q12345678901 a",
          "q7 a",
          "Q7a"
        }) {
      assertThat(Envelope.parse(ByteBuffer.wrap(Decoding.bytes(bad)))).as(bad).isEmpty();
    }
  }
}
