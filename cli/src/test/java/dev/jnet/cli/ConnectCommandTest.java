package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.InputMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;

class ConnectCommandTest {

  private static ConnectCommand parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "connect";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(all);
    return (ConnectCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void defaultsAreTenSecondsEach() {
    ConnectSpec spec = parse("tcp://127.0.0.1:7000").toSpec();
    assertThat(spec)
        .isEqualTo(
            new ConnectSpec(
                new Endpoint.Tcp("127.0.0.1", 7000),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                false));
  }

  @Test
  void everyOptionReachesTheSpec() {
    ConnectSpec spec =
        parse("-v", "--connect-timeout", "500ms", "--linger=2m", "tcp://[::1]:9").toSpec();
    assertThat(spec)
        .isEqualTo(
            new ConnectSpec(
                new Endpoint.Tcp("::1", 9), Duration.ofMillis(500), Duration.ofMinutes(2), true));
    assertThat(parse("--verbose", "tcp://h:1").toSpec().verbose()).isTrue();
  }

  @Test
  void aZeroDurationIsAUsageError() {
    assertThatThrownBy(() -> parse("--linger", "0", "tcp://h:1").toSpec())
        .isInstanceOf(ParameterException.class)
        .hasMessage("--linger must be longer than 0");
    assertThatThrownBy(() -> parse("--connect-timeout", "0ms", "tcp://h:1").toSpec())
        .isInstanceOf(ParameterException.class)
        .hasMessage("--connect-timeout must be longer than 0");
  }

  @Test
  void aBadDurationOrEndpointFailsTheParse() {
    assertThatThrownBy(() -> parse("--linger", "soon", "tcp://h:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("invalid duration 'soon'");
    assertThatThrownBy(() -> parse("localhost:7000"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("invalid endpoint 'localhost:7000'")
        .hasMessageContaining(Endpoint.GRAMMAR);
  }

  @Test
  void peerUidAndGidReachTheSpecAndMustNotBeNegative() {
    ConnectSpec spec = parse("--peer-uid", "0", "--peer-gid=65534", "unix:@svc").toSpec();
    assertThat(spec.peerUid()).isZero();
    assertThat(spec.peerGid()).isEqualTo(65534);
    assertThat(parse("unix:@svc").toSpec().peerUid()).isNull();
    assertThatThrownBy(() -> parse("--peer-uid", "-1", "unix:@svc").toSpec())
        .isInstanceOf(ParameterException.class)
        .hasMessage("--peer-uid must be 0 or more");
  }

  @Test
  void theEndpointIsRequired() {
    assertThatThrownBy(() -> parse())
        .isInstanceOf(MissingParameterException.class)
        .hasMessageContaining("ENDPOINT");
  }

  @Test
  void dumpAndInputOptionsReachTheSpec() {
    ConnectSpec spec =
        parse("--format", "hex", "--input=escapes", "--crlf", "unix:/tmp/s").toSpec();
    assertThat(spec.format()).isEqualTo(Format.HEX);
    assertThat(spec.input()).isEqualTo(InputMode.ESCAPES);
    assertThat(spec.crlf()).isTrue();
    assertThat(spec.endpoint()).isEqualTo(new Endpoint.Unix("/tmp/s", false));
    assertThat(parse("--format=NDJSON", "unix:@x").toSpec().format()).isEqualTo(Format.NDJSON);
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    assertThatThrownBy(() -> parse("--format", "pcap", "tcp://h:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("unknown format 'pcap': expected raw, text, hex or ndjson");
  }
}
