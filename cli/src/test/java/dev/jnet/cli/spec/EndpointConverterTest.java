package dev.jnet.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class EndpointConverterTest {
  private final EndpointConverter converter = new EndpointConverter();

  @Test
  void parsesWithTheApiGrammar() {
    assertThat(converter.convert("tcp://127.0.0.1:7000"))
        .isEqualTo(new Endpoint.Tcp("127.0.0.1", 7000));
    assertThat(converter.convert("tcp://[::1]:0")).isEqualTo(new Endpoint.Tcp("::1", 0));
    assertThat(converter.convert("unix:/run/app.sock"))
        .isEqualTo(new Endpoint.Unix("/run/app.sock", false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:7000",
        "tcp://host",
        "tcp://::1:7",
        "tcp://h:70000",
        "http://h:80",
        "fd:x"
      })
  void aBadEndpointIsAConversionErrorThatShowsTheGrammar(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("invalid endpoint '" + text + "'")
        .hasMessageContaining(Endpoint.GRAMMAR);
  }
}
