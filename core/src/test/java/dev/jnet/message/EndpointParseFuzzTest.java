package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnet.Endpoint;

/**
 * Fuzzes {@link Endpoint#parse}: any string either parses to an endpoint whose text parses back to
 * the same endpoint, or fails with {@code IllegalArgumentException} whose message shows the
 * grammar; nothing else escapes.
 */
class EndpointParseFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void parseAcceptsOrRejectsCleanlyAndRoundTrips(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Endpoint e;
    try {
      e = Endpoint.parse(text);
    } catch (IllegalArgumentException rejected) {
      assertThat(rejected.getMessage()).isNotBlank();
      return;
    }
    assertThat(Endpoint.parse(e.toString())).as("round trip of %s", e).isEqualTo(e);
  }
}
