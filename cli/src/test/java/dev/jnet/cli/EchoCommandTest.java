package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import dev.jnet.cli.spec.EchoSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class EchoCommandTest {

  private static EchoCommand parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "echo";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(all);
    return (EchoCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void defaultsToOneIoThreadAndALinePerConnection() {
    assertThat(parse("tcp://:0").toSpec())
        .isEqualTo(new EchoSpec(new Endpoint.Tcp("", 0), 1, false, false));
  }

  @Test
  void everyOptionReachesTheSpec() {
    assertThat(parse("-q", "-v", "--io-threads", "4", "tcp://0.0.0.0:7000").toSpec())
        .isEqualTo(new EchoSpec(new Endpoint.Tcp("0.0.0.0", 7000), 4, true, true));
    assertThat(parse("--quiet", "--verbose", "tcp://:1").toSpec())
        .isEqualTo(new EchoSpec(new Endpoint.Tcp("", 1), 1, true, true));
  }

  @Test
  void ioThreadsBelowOneIsAUsageError() {
    assertThatThrownBy(() -> parse("--io-threads", "0", "tcp://:0").toSpec())
        .isInstanceOf(ParameterException.class)
        .hasMessage("--io-threads must be at least 1: 0");
    assertThatThrownBy(() -> parse("--io-threads", "many", "tcp://:0"))
        .isInstanceOf(ParameterException.class);
  }
}
