package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.cli.spec.ExitCodes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, item 1, end to end: a uid-65534 process plants the per-user pipe folder ({@code
 * $XDG_RUNTIME_DIR/jnet}, or {@code <tmpdir>/jnet-root} without it) in a sticky world-writable
 * directory and plays server: it swaps the client's FIFO pair for its own and replies. A root
 * {@code jnet connect pipe:svc} used to print that reply and exit 0; now it exits 9 ({@code
 * EACCES}) and the planted process receives nothing. Skipped, with the reason, where privileges
 * cannot be dropped.
 */
@Timeout(90)
class PipeHijackIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Plants DIR (every missing component 0777), serves one client by swapping its FIFO pair,
   * reports.
   */
  private static final String IMPOSTOR =
      String.join(
          "\n",
          "import os, sys, fcntl, select",
          "d, what = sys.argv[1], sys.argv[2]",
          "made, p = [], d",
          "while not os.path.lexists(p):",
          "    made.append(p); p = os.path.dirname(p)",
          "for q in reversed(made):",
          "    os.mkdir(q); os.chmod(q, 0o777)",
          "if what == 'dir':",
          "    print('READY', flush=True); sys.stdin.readline(); print('GOT 0', flush=True); sys.exit(0)",
          "os.mkfifo(d + '/pipe'); os.chmod(d + '/pipe', 0o666)",
          "lk = os.open(d + '/lock', os.O_RDWR | os.O_CREAT, 0o666)",
          "fcntl.lockf(lk, fcntl.LOCK_EX | fcntl.LOCK_NB)",
          "fd = os.open(d + '/pipe', os.O_RDWR)",
          "print('READY', flush=True)",
          "r, _, _ = select.select([fd, sys.stdin], [], [], 60)",
          "if fd not in r:",
          "    print('GOT 0', flush=True); sys.exit(0)",
          "ident = os.read(fd, 200).decode().split()[1]",
          "for suffix in ('.up', '.down'):",
          "    f = d + '/' + ident + suffix",
          "    os.unlink(f); os.mkfifo(f); os.chmod(f, 0o666)",
          "down = os.open(d + '/' + ident + '.down', os.O_WRONLY)",
          "up = os.open(d + '/' + ident + '.up', os.O_RDONLY)",
          "os.write(down, b'pwned\\n'); os.close(down)",
          "data = b''",
          "while True:",
          "    b = os.read(up, 4096)",
          "    if not b: break",
          "    data += b",
          "print('STOLE %d' % len(data), flush=True)");

  private Path sticky;

  @BeforeEach
  void requireRoot() throws Exception {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(
        uid == 0, "dropping privileges to uid 65534 needs root; this process runs as uid " + uid);
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
    sticky = Files.createTempDirectory(Path.of("/tmp"), "jnet-hijack-it");
    assertThat(new ProcessBuilder("chmod", "1777", sticky.toString()).start().waitFor()).isZero();
  }

  @AfterEach
  void clean() throws Exception {
    if (sticky != null) {
      new ProcessBuilder("rm", "-rf", "--", sticky.toString()).start().waitFor();
    }
  }

  private Spawned impostor(Path dir, String what) throws InterruptedException {
    Spawned p = spawn(Spawned.pythonAsNobody(IMPOSTOR, dir.toString(), what));
    p.awaitStdout("READY\\R", WAIT);
    return p;
  }

  /**
   * {@code jnet ARGS} with {@code XDG_RUNTIME_DIR} set to the sticky directory, or else without it.
   */
  private static ProcessBuilder jnet(Path xdg, Path tmp, String... args) {
    ProcessBuilder pb = Spawned.jnet(args);
    pb.environment().remove("XDG_RUNTIME_DIR");
    if (xdg != null) {
      pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
    }
    if (tmp != null) {
      pb.environment().put("TMPDIR", tmp.toString());
      pb.command().add(pb.command().indexOf("-jar"), "-Djava.io.tmpdir=" + tmp);
    }
    return pb;
  }

  private void assertConnectRefusedAndSilent(Path planted, ProcessBuilder connect)
      throws Exception {
    Spawned impostor = impostor(planted, "serve");
    Spawned client = spawn(connect);
    try (OutputStream in = client.stdin()) {
      in.write("secret\n".getBytes(StandardCharsets.US_ASCII));
    }
    int exit = client.awaitExit(WAIT);
    try (OutputStream o = impostor.stdin()) {
      o.write("done\n".getBytes(StandardCharsets.US_ASCII));
    } catch (java.io.IOException e) {
      // it served the client and ended already
    }
    impostor.awaitExit(WAIT);
    assertThat(impostor.stdout()).as("what the uid-65534 impostor got").isEqualTo("READY\nGOT 0\n");
    assertThat(client.stdout()).as("what the client printed").isEmpty();
    assertThat(exit).as(client.stderr()).isEqualTo(ExitCodes.PERMISSION_DENIED);
    assertThat(client.stderr()).contains("EACCES").contains("belongs to uid 65534, expected uid 0");
  }

  @Test
  void aRootClientRefusesAPlantedXdgRuntimeFolder() throws Exception {
    assertConnectRefusedAndSilent(
        sticky.resolve("jnet/svc"), jnet(sticky, null, "connect", "pipe:svc"));
  }

  @Test
  void aRootClientRefusesAPlantedTmpdirFolderWithoutXdgRuntimeDir() throws Exception {
    assertConnectRefusedAndSilent(
        sticky.resolve("jnet-root/svc"), jnet(null, sticky, "connect", "pipe:svc"));
  }

  @Test
  void aRootServerRefusesAPlantedFolderAndLeavesItAlone() throws Exception {
    Path folder = sticky.resolve("jnet");
    Spawned impostor = impostor(folder, "dir");
    Spawned server = spawn(jnet(sticky, null, "echo", "pipe:svc"));
    assertThat(server.awaitExit(WAIT)).as(server.stderr()).isEqualTo(ExitCodes.PERMISSION_DENIED);
    assertThat(server.stderr()).contains("EACCES").contains("belongs to uid 65534");
    assertThat(Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(65534);
    assertThat(Files.getAttribute(folder, "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(040777);
    assertThat(folder.resolve("svc")).doesNotExist();
    impostor.close();
  }
}
