package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.spec.FramingMode;
import dev.jnet.cli.spec.ListenSpec;
import dev.jnet.cli.spec.PeerRule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class ListenCommandTest {
  private static ListenSpec parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "listen";
    System.arraycopy(args, 0, all, 1, args.length);
    return ((ListenCommand)
            Main.commandLine().parseArgs(all).subcommand().commandSpec().userObject())
        .toSpec();
  }

  @Test
  void defaultsServeOneClientWithRawBytes() {
    ListenSpec spec = parse("tcp://:7000");
    assertThat(spec.endpoint()).isEqualTo(new Endpoint.Tcp("", 7000));
    assertThat(spec.keep()).isFalse();
    assertThat(spec.maxConns()).isZero();
    assertThat(spec.rules().isEmpty()).isTrue();
    assertThat(spec.exec()).isNull();
    assertThat(spec.conversation().format()).isEqualTo(Format.RAW);
  }

  @Test
  void everyOptionReachesTheSpec() {
    ListenSpec spec =
        parse(
            "-k",
            "--max-conns",
            "3",
            "--allow",
            "10.0.0.0/8",
            "--allow",
            "uid:1000",
            "--deny",
            "gid:5",
            "--exec",
            "cat",
            "--framing",
            "lp",
            "--format",
            "hex",
            "unix:@svc");
    assertThat(spec.keep()).isTrue();
    assertThat(spec.maxConns()).isEqualTo(3);
    assertThat(spec.rules().allow()).hasSize(2).contains(new PeerRule.Uid(1000));
    assertThat(spec.rules().deny()).containsExactly(new PeerRule.Gid(5));
    assertThat(spec.exec()).isEqualTo("cat");
    assertThat(spec.conversation().framing()).isEqualTo(FramingMode.LP);
    assertThat(spec.conversation().format()).isEqualTo(Format.HEX);
  }

  @Test
  void framedServingHasDeadlinesByDefaultAndTheOptionsSetThem() {
    ListenSpec defaults = parse("--framing", "lp", "tcp://:1");
    assertThat(defaults.firstFrameTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(defaults.frameTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
    ListenSpec set =
        parse(
            "--framing",
            "lp",
            "--first-frame-timeout",
            "0",
            "--frame-timeout",
            "500ms",
            "tcp://:1");
    assertThat(set.firstFrameTimeout()).isZero();
    assertThat(set.frameTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
  }

  @Test
  void aBrokerAlwaysKeepsServing() {
    assertThat(parse("--broker", "tcp://:1").keep()).isTrue();
  }

  @Test
  void contradictionsAndBadRulesAreUsageErrors() {
    assertThatThrownBy(() -> parse("--exec", "cat", "--broker", "tcp://:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--exec and --broker cannot be combined");
    assertThatThrownBy(() -> parse("--allow", "uid:x", "tcp://:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("invalid rule 'uid:x'");
    assertThatThrownBy(() -> parse("--deny", "example.com", "tcp://:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("invalid rule 'example.com'");
    assertThatThrownBy(() -> parse("--max-conns", "-1", "tcp://:1"))
        .isInstanceOf(ParameterException.class);
  }

  @Test
  void cidrRulesMatchByPrefix() {
    PeerRule.Cidr net = PeerRule.Cidr.parse("10.1.0.0/16");
    assertThat(net.contains(new byte[] {10, 1, 2, 3})).isTrue();
    assertThat(net.contains(new byte[] {10, 2, 0, 1})).isFalse();
    assertThat(PeerRule.Cidr.parse("::1").contains(new byte[16])).isFalse();
  }
}
