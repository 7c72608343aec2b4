package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.session.QuickConnect;
import dev.jnet.cli.spec.ConnectSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The start-up lane reads {@code connect} command lines exactly as picocli does, or leaves them to
 * picocli.
 */
class QuickConnectTest {

  private static ConnectSpec picocli(String... args) {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
    return ((ConnectCommand) parsed.subcommand().commandSpec().userObject()).toSpec();
  }

  @Test
  void plainCommandLinesGiveWhatPicocliGives() {
    List<String[]> lines =
        List.of(
            new String[] {"connect", "tcp://127.0.0.1:7000"},
            new String[] {"connect", "unix:/tmp/a.sock"},
            new String[] {"connect", "unix:@name"},
            new String[] {"connect", "-v", "tcp://[::1]:9"},
            new String[] {"connect", "--verbose", "tcp://h:1"},
            new String[] {"connect", "--linger", "2m", "--connect-timeout=500ms", "tcp://h:1"},
            new String[] {"connect", "tcp://h:1", "--linger=1.5s"},
            new String[] {"connect", "--format", "hex", "--input=escapes", "--crlf", "tcp://h:1"},
            new String[] {"connect", "--framing", "lines", "--format=ndjson", "pipe:svc"},
            new String[] {"connect", "--linger", "3", "fd:3"},
            new String[] {"connect", "--peer-uid", "0", "--peer-gid=0", "unix:@svc"},
            new String[] {"connect", "--peer-uid=65534", "pipe:svc"});
    QuickLanes.assertReadLikePicocli(QuickConnect::parse, QuickConnectTest::picocli, lines);
  }

  @Test
  void peerUidAndGidBecomeSocketOptions() {
    ConnectSpec spec = picocli("connect", "--peer-uid", "0", "--peer-gid", "7", "unix:@svc");
    assertThat(spec.socketOptions().peerUid()).hasValue(0);
    assertThat(spec.socketOptions().peerGid()).hasValue(7);
    assertThat(picocli("connect", "unix:@svc").socketOptions().peerUid()).isEmpty();
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    List<String[]> lines =
        List.of(
            new String[] {"connect"},
            new String[] {"connect", "--help"},
            new String[] {"connect", "-h", "tcp://h:1"},
            new String[] {"connect", "-vv", "tcp://h:1"},
            new String[] {"connect", "-v", "-v", "tcp://h:1"},
            new String[] {"connect", "--linger", "tcp://h:1"},
            new String[] {"connect", "--linger", "0", "tcp://h:1"},
            new String[] {"connect", "--linger", "soon", "tcp://h:1"},
            new String[] {"connect", "--linger=1s", "--linger=2s", "tcp://h:1"},
            new String[] {"connect", "--format", "pretty", "tcp://h:1"},
            new String[] {"connect", "--crlf=true", "tcp://h:1"},
            new String[] {"connect", "--lingr", "1s", "tcp://h:1"},
            new String[] {"connect", "--peer-uid", "-1", "unix:@svc"},
            new String[] {"connect", "--peer-uid=root", "unix:@svc"},
            new String[] {"connect", "--peer-gid", "99999999999", "unix:@svc"},
            new String[] {"connect", "localhost:7000"},
            new String[] {"connect", "tcp://h:1", "tcp://h:2"},
            new String[] {"connect", "--", "tcp://h:1"},
            new String[] {"connect", "-", "tcp://h:1"},
            new String[] {"listen", "tcp://h:1"},
            new String[] {"-v", "connect", "tcp://h:1"});
    QuickLanes.assertLeftToPicocli(QuickConnect::parse, lines);
  }
}
