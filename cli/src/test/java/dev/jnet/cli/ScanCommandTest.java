package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class ScanCommandTest {
  private static List<Endpoint> parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "scan";
    System.arraycopy(args, 0, all, 1, args.length);
    return ((ScanCommand) Main.commandLine().parseArgs(all).subcommand().commandSpec().userObject())
        .toSpec()
        .endpoints();
  }

  @Test
  void listsAndRangesExpandInOrderWithoutDuplicates() {
    assertThat(parse("127.0.0.1:7002-7003,7001,7002", "tcp://[::1]:9"))
        .containsExactly(
            new Endpoint.Tcp("127.0.0.1", 7001),
            new Endpoint.Tcp("127.0.0.1", 7002),
            new Endpoint.Tcp("127.0.0.1", 7003),
            new Endpoint.Tcp("::1", 9));
  }

  @Test
  void unixNamesWithoutAGlobAreTakenAsTheyAre() {
    assertThat(parse("unix:@svc", "unix:/tmp/x.sock"))
        .containsExactly(new Endpoint.Unix("svc", true), new Endpoint.Unix("/tmp/x.sock", false));
  }

  @Test
  void badTargetsAreUsageErrors() {
    assertThatThrownBy(() -> parse("127.0.0.1:0"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("invalid ports '0'");
    assertThatThrownBy(() -> parse("127.0.0.1:9-3")).isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse("justahost"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("expected HOST:PORTS or unix:GLOB");
    assertThatThrownBy(() -> parse("unix:/tmp/*/x.sock"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("a glob only in the last part");
    assertThatThrownBy(() -> parse("--format", "xml", "h:1"))
        .isInstanceOf(ParameterException.class);
  }
}
