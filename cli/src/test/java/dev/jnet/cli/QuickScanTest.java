package dev.jnet.cli;

import dev.jnet.cli.scan.QuickScan;
import dev.jnet.cli.spec.ScanSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up lane reads {@code scan} command lines exactly as picocli does, or leaves them to
 * picocli.
 */
class QuickScanTest {

  private static ScanSpec picocli(String... args) {
    return ((ScanCommand)
            Main.commandLine().parseArgs(args).subcommand().commandSpec().userObject())
        .toSpec();
  }

  @Test
  void plainCommandLinesGiveWhatPicocliGives() {
    List<String[]> lines =
        List.of(
            new String[] {"scan", "127.0.0.1:7000"},
            new String[] {"scan", "127.0.0.1:7002-7003,7001", "tcp://[::1]:9", "unix:@svc"},
            new String[] {"scan", "unix:/tmp/x.sock", "-v"},
            new String[] {"scan", "--timeout", "200ms", "--concurrency=4", "h:1"},
            new String[] {"scan", "--format", "json", "--open", "h:1-3"},
            new String[] {"scan", "--format=text", "--verbose", "--timeout=2", "h:1"});
    QuickLanes.assertReadLikePicocli(QuickScan::parse, QuickScanTest::picocli, lines);
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    List<String[]> lines =
        List.of(
            new String[] {"scan"},
            new String[] {"scan", "--help"},
            new String[] {"scan", "-h", "h:1"},
            new String[] {"scan", "-vv", "h:1"},
            new String[] {"scan", "-v", "--verbose", "h:1"},
            new String[] {"scan", "--open", "--open", "h:1"},
            new String[] {"scan", "--open=true", "h:1"},
            new String[] {"scan", "--timeout", "h:1"},
            new String[] {"scan", "--timeout", "0", "h:1"},
            new String[] {"scan", "--timeout=soon", "h:1"},
            new String[] {"scan", "--concurrency", "0", "h:1"},
            new String[] {"scan", "--concurrency", "-1", "h:1"},
            new String[] {"scan", "--format", "xml", "h:1"},
            new String[] {"scan", "--format=json", "--format=text", "h:1"},
            new String[] {"scan", "h:0"},
            new String[] {"scan", "h:9-3"},
            new String[] {"scan", "justahost"},
            new String[] {"scan", "unix:/tmp/*/x.sock"},
            new String[] {"scan", "h:1-65535", "g:1-2"},
            new String[] {"scan", "--", "h:1"},
            new String[] {"connect", "h:1"},
            new String[] {"-v", "scan", "h:1"});
    QuickLanes.assertLeftToPicocli(QuickScan::parse, lines);
  }
}
