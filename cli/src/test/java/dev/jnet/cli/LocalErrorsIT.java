package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An end that fails (stdout, a file, a FIFO, stdin, a relay's second end) is never swallowed: one
 * line naming the errno, a non-zero exit from the exit-code table, and a peer that sees an error
 * rather than a clean end.
 */
class LocalErrorsIT extends SpawningTest {
  private static final File DEV_FULL = new File("/dev/full");
  private static final String ENOSPC = "jnet: write ENOSPC stdout: no space left on device";

  @Test
  void connectReportsAFullStdout() throws Exception {
    Spawned c =
        spawn(
            Spawned.jnet("connect", echoServer())
                .redirectInput(file("hi\n"))
                .redirectOutput(DEV_FULL));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isEqualTo(ExitCodes.ERROR);
    assertThat(c.stderr()).isEqualTo(ENOSPC + "\n");
  }

  @Test
  void recvReportsAFullStdoutAndItsSenderSeesAReset() throws Exception {
    Spawned recv = spawn(Spawned.jnet("recv", "tcp://127.0.0.1:0").redirectOutput(DEV_FULL));
    String endpoint = listening(recv);
    byte[] data = new byte[1 << 20];
    new SplittableRandom(3).nextBytes(data);
    Path payload = Files.write(dir.resolve("payload.bin"), data);
    Spawned send = spawn(Spawned.jnet("send", endpoint, payload.toString()));
    assertThat(recv.awaitExit(WAIT)).as(recv.stderr()).isEqualTo(ExitCodes.ERROR);
    assertThat(recv.stderr()).endsWith(ENOSPC + "\n").containsOnlyOnce(ENOSPC);
    assertThat(send.awaitExit(WAIT)).as(send.stderr()).isEqualTo(ExitCodes.RESET);
  }

  @Test
  void aRelayThatCannotOpenItsFileSaysSoAndResetsTheClient() throws Exception {
    Spawned relay = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", "file:/proc/nope/x"));
    Spawned c = spawn(Spawned.jnet("connect", listening(relay)).redirectInput(file("lost?\n")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isEqualTo(ExitCodes.RESET);
    relay.awaitStderr("#1 open ENOENT /proc/nope/x: no such file or directory\\R", WAIT);

    Spawned pair = spawn(Spawned.jnet("relay", echoServer(), "file:/proc/nope/x"));
    assertThat(pair.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
    assertThat(pair.stderr())
        .isEqualTo("jnet: open ENOENT /proc/nope/x: no such file or directory\n");
  }

  @Test
  void aRelayWhoseFileIsFullSaysSoAndResetsTheClient() throws Exception {
    Spawned relay = spawn(Spawned.jnet("relay", "listen:tcp://127.0.0.1:0", "file:/dev/full"));
    Spawned c = spawn(Spawned.jnet("connect", listening(relay)).redirectInput(file("lost?\n")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isEqualTo(ExitCodes.RESET);
    relay.awaitStderr("jnet: #1 write ENOSPC /dev/full: no space left on device\\R", WAIT);
  }

  @Test
  void aRelayWhoseSecondEndIsRefusedSaysSoAndResetsTheClient() throws Exception {
    Spawned relay =
        spawn(
            Spawned.jnet(
                "relay", "listen:tcp://127.0.0.1:0", "tcp://127.0.0.1:" + ClosedPort.find()));
    Spawned c = spawn(Spawned.jnet("connect", listening(relay)).redirectInput(file("lost?\n")));
    assertThat(c.awaitExit(WAIT)).as(c.stderr()).isEqualTo(ExitCodes.RESET);
    relay.awaitStderr("jnet: #1 connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\R", WAIT);
  }

  @Test
  void sendNamesADirectoryBeforeConnectingAndOnStdin() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("folder"));
    Spawned arg =
        spawn(Spawned.jnet("send", "tcp://127.0.0.1:" + ClosedPort.find(), folder.toString()));
    assertThat(arg.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
    assertThat(arg.stderr()).isEqualTo("jnet: open EISDIR " + folder + ": is a directory\n");

    // ProcessBuilder cannot redirect from a directory, the shell can
    List<String> cmd =
        new ArrayList<>(List.of("sh", "-c", "exec \"$@\" < \"$0\"", folder.toString()));
    cmd.addAll(Spawned.jnet("send", echoServer()).command());
    Spawned stdin = spawn(new ProcessBuilder(cmd));
    assertThat(stdin.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
    assertThat(stdin.stderr()).isEqualTo("jnet: read EISDIR stdin: is a directory\n");
  }

  @Test
  void sendGivesTheReasonAFileCannotBeRead() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path secret = Files.writeString(dir.resolve("secret"), "x");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    ProcessBuilder pb =
        Spawned.jnet("send", "tcp://127.0.0.1:" + ClosedPort.find(), secret.toString());
    if (isRoot()) {
      List<String> cmd =
          new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
      cmd.addAll(pb.command());
      pb.command(cmd);
    }
    Spawned send = spawn(pb);
    int code = send.awaitExit(WAIT);
    org.junit.jupiter.api.Assumptions.assumeFalse(
        send.stderr().startsWith("Error: Unable to access jarfile"),
        "uid 65534 cannot reach the jar (a checkout inside a private directory): "
            + send.stderr().strip());
    assertThat(code).as(send.stderr()).isEqualTo(ExitCodes.PERMISSION_DENIED);
    assertThat(send.stderr()).isEqualTo("jnet: open EACCES " + secret + ": permission denied\n");
  }

  @Test
  void aFifoThatCannotBeCreatedFailsTheRelay() throws Exception {
    Path fifo = dir.resolve("missing").resolve("cmd.fifo");
    Spawned relay = spawn(Spawned.jnet("relay", echoServer(), "fifo:" + fifo + "?create"));
    assertThat(relay.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
    assertThat(relay.stderr())
        .isEqualTo("jnet: open ENOENT " + fifo + ": no such file or directory\n");
  }

  @Test
  void aRefusedFirstEndIsReportedWithoutWaitingForTheFifosReader() throws Exception {
    Path fifo = dir.resolve("nobody-reads.fifo");
    Spawned relay =
        spawn(
            Spawned.jnet(
                "relay", "tcp://127.0.0.1:" + ClosedPort.find(), "fifo:" + fifo + "?create"));
    assertThat(relay.awaitExit(WAIT)).as(relay.stderr()).isEqualTo(ExitCodes.REFUSED);
    assertThat(relay.stderr()).startsWith("jnet: connect ECONNREFUSED").hasLineCount(1);
  }

  private static boolean isRoot() throws Exception {
    Process id = new ProcessBuilder("id", "-u").start();
    return new String(id.getInputStream().readAllBytes()).trim().equals("0") && id.waitFor() == 0;
  }
}
