package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.serve.QuickEcho;
import dev.jnet.cli.spec.EchoSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up lane reads {@code echo} command lines exactly as picocli does, or leaves them to
 * picocli.
 */
class QuickEchoTest {

  private static EchoSpec picocli(String... args) {
    return ((EchoCommand)
            Main.commandLine().parseArgs(args).subcommand().commandSpec().userObject())
        .toSpec();
  }

  @Test
  void plainCommandLinesGiveWhatPicocliGives() {
    List<String[]> lines =
        List.of(
            new String[] {"echo", "tcp://127.0.0.1:7000"},
            new String[] {"echo", "-q", "tcp://:0"},
            new String[] {"echo", "tcp://:0", "--quiet", "-v"},
            new String[] {"echo", "--verbose", "unix:@echo"},
            new String[] {"echo", "--io-threads", "4", "unix:/tmp/e.sock"},
            new String[] {"echo", "--io-threads=2", "-q", "pipe:svc"});
    QuickLanes.assertReadLikePicocli(QuickEcho::parse, QuickEchoTest::picocli, lines);
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    List<String[]> lines =
        List.of(
            new String[] {"echo"},
            new String[] {"echo", "--help"},
            new String[] {"echo", "-h", "tcp://:0"},
            new String[] {"echo", "-qv", "tcp://:0"},
            new String[] {"echo", "-q", "-q", "tcp://:0"},
            new String[] {"echo", "-q", "--quiet", "tcp://:0"},
            new String[] {"echo", "--io-threads", "0", "tcp://:0"},
            new String[] {"echo", "--io-threads", "many", "tcp://:0"},
            new String[] {"echo", "--io-threads=1", "--io-threads=2", "tcp://:0"},
            new String[] {"echo", "--io-threads"},
            new String[] {"echo", "--tls", "tcp://:0"},
            new String[] {"echo", "--key", "k.pem", "--cert", "c.pem", "tcp://:0"},
            new String[] {"echo", "localhost:7000"},
            new String[] {"echo", "tcp://:1", "tcp://:2"},
            new String[] {"echo", "--", "tcp://:1"},
            new String[] {"listen", "tcp://:1"},
            new String[] {"-q", "echo", "tcp://:1"});
    QuickLanes.assertLeftToPicocli(QuickEcho::parse, lines);
  }

  @Test
  void theEngineStartsEarlyOnlyOnItsDefaultThreads() {
    assertThat(QuickEcho.onDefaultEngine("echo", "-q", "tcp://:0")).isTrue();
    assertThat(QuickEcho.onDefaultEngine("echo", "--io-threads", "2", "tcp://:0")).isFalse();
    assertThat(QuickEcho.onDefaultEngine("echo", "--io-threads=1", "tcp://:0")).isFalse();
    assertThat(QuickEcho.onDefaultEngine("connect", "tcp://h:1")).isFalse();
  }
}
