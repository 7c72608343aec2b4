package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jnet connect --peer-uid/--peer-gid} against real servers, as separate processes. */
@Timeout(60)
class PeerUidIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Spawned echo(String endpoint) throws InterruptedException {
    Spawned echo = spawn(Spawned.jnet("echo", endpoint));
    echo.awaitStderr("listening on " + java.util.regex.Pattern.quote(endpoint) + "\\R", WAIT);
    return echo;
  }

  private static int ownUid() throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  @Test
  void anAbstractNameServerLogsTheOtherUidItTurnsAway() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Spawned.onNio(), "abstract Unix names need the epoll engine");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ownUid() == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "a client of another uid needs root and setpriv");
    String name = "jnet-drop-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Spawned echo = echo("unix:@" + name);
    Spawned nobody =
        spawn(
            Spawned.pythonAsNobody(
                "import socket,sys\n"
                    + "s=socket.socket(socket.AF_UNIX)\n"
                    + "s.settimeout(10)\n"
                    + "s.connect('\\0'+sys.argv[1])\n"
                    + "print('READ', s.recv(100))",
                name));
    echo.awaitStderr(
        // cmd= may be "?": the client can be gone before the line is written
        "drop pid=\\d+ uid=65534 gid=65534 cmd=\"[^\"]*\""
            + " \\(uid 65534 is not this server's \\(an abstract name admits only its own uid\\)\\)\\R",
        WAIT);
    nobody.awaitExit(WAIT);
    assertThat(nobody.stdout()).as("the turned-away client read nothing").startsWith("READ b''");
  }

  @Test
  void aServerOfAnotherUidExitsNineAndGetsNothing(@TempDir Path dir) throws Exception {
    // NIO has no abstract names and reads no Unix peer credentials; pipe: knows its peer on both
    // engines
    String endpoint =
        Spawned.onNio()
            ? "pipe:" + dir.resolve("other")
            : "unix:@jnet-peeruid-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    echo(endpoint);
    int other = ownUid() == 0 ? 65534 : 0;
    Path in = Files.writeString(dir.resolve("in"), "secret\n");
    Spawned connect =
        spawn(
            Spawned.jnet("connect", "--peer-uid", String.valueOf(other), endpoint)
                .redirectInput(in.toFile()));
    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isEqualTo(ExitCodes.PERMISSION_DENIED);
    assertThat(connect.stderr())
        .contains("EACCES")
        .contains("expected uid " + other)
        .doesNotContain("Exception");
    assertThat(connect.stdoutBytes()).as("nothing came back: nothing was sent").isEmpty();
  }

  @Test
  void aUnixPathUnderNioRefusesTheCheckItCannotMakeAndSendsNothing(@TempDir Path dir)
      throws Exception {
    String endpoint = "unix:" + dir.resolve("echo.sock");
    echo(endpoint);
    Path in = Files.writeString(dir.resolve("in"), "secret\n");
    Spawned connect =
        spawn(
            Spawned.jnet("connect", "--peer-uid", String.valueOf(ownUid()), endpoint)
                .redirectInput(in.toFile()));
    if (!Spawned.onNio()) {
      assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
      assertThat(new String(connect.stdoutBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("secret\n");
      return;
    }
    assertThat(connect.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
    assertThat(connect.stderr())
        .isEqualTo(
            "jnet: connect ENOTSUP "
                + dir.resolve("echo.sock")
                + " (peerUid/peerGid"
                + " need the peer's credentials, which unix: under the nio engine cannot report; nothing was sent)\n");
    assertThat(connect.stdoutBytes()).isEmpty();
  }

  @Test
  void itsOwnUidAndGidAreServed(@TempDir Path dir) throws Exception {
    String endpoint = "pipe:" + dir.resolve("svc");
    echo(endpoint);
    int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    Spawned connect =
        spawn(
            Spawned.jnet(
                "connect", "--peer-uid=" + ownUid(), "--peer-gid", String.valueOf(gid), endpoint));
    try (OutputStream o = connect.stdin()) {
      o.write("mine\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    assertThat(new String(connect.stdoutBytes(), StandardCharsets.US_ASCII)).isEqualTo("mine\n");
  }
}
