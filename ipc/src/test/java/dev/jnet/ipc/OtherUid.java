package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The attacker of {@code THREAT-MODEL.md}: a python3 process running as uid 65534 (nobody) through
 * {@code setpriv --reuid=65534 --regid=65534 --clear-groups}, talking to the test line by line on
 * its stdin and stdout. Tests that use it skip, with the reason, where this process cannot drop
 * privileges. {@link #sameUid} runs such a peer as the test's own uid, for a peer that misbehaves
 * without being another user.
 */
public final class OtherUid implements AutoCloseable {
  /** The attacker's uid and gid. */
  public static final int NOBODY = 65534;

  private static final String PYTHON = "/usr/bin/python3";
  private static final String SETPRIV = "/usr/bin/setpriv";

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private OtherUid(Process process) {
    this.process = process;
    Thread t = new Thread(this::pump, "other-uid-stdout");
    t.setDaemon(true);
    t.start();
  }

  /** Skips the calling test unless this process is root and has setpriv and python3. */
  public static void assumeAvailable() throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(
        uid == 0, "dropping privileges to uid 65534 needs root; this process runs as uid " + uid);
    assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "setpriv (util-linux) is not installed");
    assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is not installed");
  }

  /**
   * Makes a sticky, world-writable directory under {@code /tmp}, as {@code /tmp} itself is.
   *
   * @param prefix the name's prefix
   * @return the directory (mode 1777)
   */
  public static Path stickyDir(String prefix) throws IOException {
    Path d = Files.createTempDirectory(Path.of("/tmp"), prefix);
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    Process p = new ProcessBuilder("chmod", "1777", d.toString()).start();
    try {
      assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("chmod 1777").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return d;
  }

  /**
   * Starts a python3 script as nobody.
   *
   * @param script the program
   * @param args its arguments ({@code sys.argv[1:]})
   * @return the running attacker
   */
  public static OtherUid python(String script, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                SETPRIV,
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                PYTHON,
                "-c",
                script));
    cmd.addAll(List.of(args));
    return new OtherUid(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /**
   * Starts a Python script as this process's own uid (a misbehaving peer that is not an attacker of
   * another uid), with the same line protocol as {@link #python}.
   *
   * @param script the program
   * @param args its arguments
   * @return the running peer
   * @throws IOException if it cannot start
   */
  public static OtherUid sameUid(String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
    cmd.addAll(List.of(args));
    return new OtherUid(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        lines.add(l);
      }
    } catch (IOException e) {
      lines.add("IOERROR " + e);
    }
    lines.add("EXIT");
  }

  /**
   * Waits for the attacker's next line (bounded: 20 s).
   *
   * @return the line, or {@code EXIT} once it ended
   */
  public String nextLine() throws InterruptedException {
    String l = lines.poll(20, TimeUnit.SECONDS);
    assertThat(l).as("the uid-65534 process said something within 20 s").isNotNull();
    return l;
  }

  /**
   * Waits for a line starting with a prefix, failing with everything it said otherwise.
   *
   * @param prefix such as {@code READY}
   * @return the line
   */
  public String expect(String prefix) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    String l;
    while (!(l = nextLine()).startsWith(prefix)) {
      seen.add(l);
      assertThat(l)
          .as("the uid-65534 process ended before saying " + prefix + "; it said " + seen)
          .isNotEqualTo("EXIT");
    }
    return l;
  }

  /**
   * Sends one line to the attacker's stdin; a process that has ended (or ends at once) had no use
   * for it.
   *
   * @param line the line, without LF
   */
  public void send(String line) throws IOException, InterruptedException {
    try {
      OutputStream o = process.getOutputStream();
      o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      o.flush();
    } catch (IOException e) { // "Stream closed" once the JDK saw it exit, "Broken pipe" just before
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
