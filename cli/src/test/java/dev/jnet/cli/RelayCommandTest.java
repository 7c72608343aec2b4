package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.spec.RelayEnd;
import dev.jnet.cli.spec.RelaySpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class RelayCommandTest {
  private static RelaySpec parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "relay";
    System.arraycopy(args, 0, all, 1, args.length);
    return ((RelayCommand)
            Main.commandLine().parseArgs(all).subcommand().commandSpec().userObject())
        .toSpec();
  }

  @Test
  void everyKindOfEndParses() {
    assertThat(RelayEnd.parse("-")).isEqualTo(new RelayEnd.Stdio());
    assertThat(RelayEnd.parse("listen:tcp://:80"))
        .isEqualTo(new RelayEnd.Listen(new Endpoint.Tcp("", 80)));
    assertThat(RelayEnd.parse("exec:tr a-z A-Z")).isEqualTo(new RelayEnd.Exec("tr a-z A-Z"));
    assertThat(RelayEnd.parse("file:/tmp/x")).isEqualTo(new RelayEnd.File(Path.of("/tmp/x")));
    assertThat(RelayEnd.parse("fifo:/tmp/f?create"))
        .isEqualTo(new RelayEnd.Fifo(Path.of("/tmp/f"), true));
    assertThat(RelayEnd.parse("unix:@a"))
        .isEqualTo(new RelayEnd.Connect(new Endpoint.Unix("a", true)));
  }

  @Test
  void formatImpliesDumpAndDumpDefaultsToText() {
    RelaySpec spec = parse("--dump", "listen:tcp://:1", "tcp://h:2");
    assertThat(spec.dump()).isTrue();
    assertThat(spec.format()).isEqualTo(Format.TEXT);
    assertThat(parse("--format", "hex", "-", "tcp://h:2").dump()).isTrue();
    assertThat(parse("-", "tcp://h:2").dump()).isFalse();
  }

  @Test
  void endsThatCannotBeJoinedAreUsageErrors() {
    assertThatThrownBy(() -> parse("-", "file:/tmp/x"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("one end must be a socket");
    assertThatThrownBy(() -> parse("tcp://h:1", "listen:tcp://:2"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("only the first end may listen");
    assertThatThrownBy(() -> parse("exec:", "tcp://h:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("exec: needs a command");
    assertThatThrownBy(() -> parse("nonsense", "tcp://h:1"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("invalid endpoint 'nonsense'");
  }
}
