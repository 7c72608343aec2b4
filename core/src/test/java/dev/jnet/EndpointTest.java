package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint grammar shared by the API and the CLI. */
class EndpointTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp://127.0.0.1:7000 | 127.0.0.1 | 7000 | 127.0.0.1:7000",
        "tcp://localhost:0    | localhost | 0    | localhost:0",
        "tcp://:0             | ''        | 0    | :0",
        "tcp://host-1.example.org:65535 | host-1.example.org | 65535 | host-1.example.org:65535",
        "tcp://[::1]:7000     | ::1       | 7000 | [::1]:7000",
        "tcp://[::]:80        | ::        | 80   | [::]:80",
        "tcp://[fe80::1%eth0]:1 | fe80::1%eth0 | 1 | [fe80::1%eth0]:1",
        "tcp://0.0.0.0:8080   | 0.0.0.0   | 8080 | 0.0.0.0:8080",
      })
  void tcpEndpointsParseToHostAndPort(String text, String host, int port, String address) {
    Endpoint e = Endpoint.parse(text);
    assertThat(e).isEqualTo(new Endpoint.Tcp(host, port));
    assertThat(e.scheme()).isEqualTo("tcp");
    assertThat(e.address()).isEqualTo(address);
    assertThat(Endpoint.parse(e.toString())).as("toString parses back").isEqualTo(e);
  }

  @Test
  void unixPipeAndFdEndpointsParse() {
    assertThat(Endpoint.parse("unix:/run/app.sock"))
        .isEqualTo(new Endpoint.Unix("/run/app.sock", false));
    assertThat(Endpoint.parse("unix:relative/app.sock"))
        .isEqualTo(new Endpoint.Unix("relative/app.sock", false));
    assertThat(Endpoint.parse("unix:@jnet")).isEqualTo(new Endpoint.Unix("jnet", true));
    assertThat(Endpoint.parse("unix:@jnet").address()).isEqualTo("@jnet");
    assertThat(Endpoint.parse("pipe:app")).isEqualTo(new Endpoint.Pipe("app"));
    assertThat(Endpoint.parse("fd:3")).isEqualTo(new Endpoint.Fd(3));
    assertThat(Endpoint.parse("  tcp://127.0.0.1:1  "))
        .as("surrounding blanks")
        .isEqualTo(new Endpoint.Tcp("127.0.0.1", 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tcp://127.0.0.1:65536",
        "tcp://127.0.0.1:-1",
        "tcp://127.0.0.1:",
        "tcp://127.0.0.1",
        "tcp://127.0.0.1:99999",
        "tcp://127.0.0.1:8o",
        "tcp://::1:80",
        "tcp://[::1]",
        "tcp://[::1]80",
        "tcp://[]:80",
        "tcp://a b:80",
        "tcp://h:80/path",
        "unix:",
        "unix:@",
        "pipe:",
        "fd:",
        "fd:-1",
        "fd:x",
        "",
        "garbage",
        "http://x:80",
        "TCP://127.0.0.1:80"
      })
  void badStringsFailWithAMessageShowingTheGrammar(String text) {
    assertThatThrownBy(() -> Endpoint.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid endpoint '" + text + "'")
        .hasMessageContaining(Endpoint.GRAMMAR);
  }

  @Test
  void portBoundsAreExplained() {
    assertThatThrownBy(() -> Endpoint.parse("tcp://h:65536"))
        .hasMessageContaining("out of range 0..65535");
    assertThatThrownBy(() -> Endpoint.parse("tcp://::1:80")).hasMessageContaining("in brackets");
    assertThatThrownBy(() -> new Endpoint.Tcp("h", 65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Endpoint.Tcp("h", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> Endpoint.parse(null)).isInstanceOf(NullPointerException.class);
  }
}
