package dev.jnet.ipc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs processes as another local user, uid and gid 65534 (nobody), through {@code setpriv}, and
 * makes the places they need reachable: a sticky world-writable directory (as {@code /tmp} is) and
 * a copy of jnet's class path (the build's own is under {@code /root}, which nobody cannot read).
 */
final class OtherUser {
  static final int NOBODY = 65534;
  private static String classPath;

  private OtherUser() {}

  /** Skips the calling test, with the reason, unless this process can drop privileges to nobody. */
  static void assumeAvailable() {
    int uid;
    try {
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assumeTrue(uid == 0, "running as another uid needs root; this process runs as uid " + uid);
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
  }

  /**
   * Creates a fresh sticky, world-writable directory under /tmp, as /tmp itself is.
   *
   * @return the directory
   * @throws IOException if it cannot be made
   */
  static Path stickyDir() throws IOException {
    Path d = Files.createTempDirectory(Path.of("/tmp"), "jnet-sticky");
    Files.setAttribute(d, "unix:mode", 01777);
    return d;
  }

  /**
   * Prefixes a command so that it runs as nobody.
   *
   * @param cmd the command
   * @return the full command line
   */
  static List<String> asNobody(String... cmd) {
    List<String> full =
        new ArrayList<>(
            List.of(
                "/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    full.addAll(List.of(cmd));
    return full;
  }

  /**
   * Runs a python3 script as nobody.
   *
   * @param script the script
   * @param args its arguments
   * @return the started process, stderr merged into stdout
   * @throws IOException if it cannot start
   */
  static Process python(String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(asNobody("/usr/bin/python3", "-c", script));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /**
   * Returns a class path nobody can read: jnet's classes and the jars they need, copied once under
   * /tmp.
   *
   * @return the class path
   * @throws IOException if the copy fails
   */
  static synchronized String classPath() throws IOException {
    if (classPath == null) {
      Path dir =
          Files.createTempDirectory(
              Path.of("/tmp"),
              "jnet-cp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      List<String> entries = new ArrayList<>();
      int i = 0;
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path src = Path.of(entry);
        if (!Files.exists(src)) {
          continue;
        }
        Path dst = dir.resolve(i++ + "-" + src.getFileName());
        copy(src, dst);
        entries.add(dst.toString());
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      classPath = String.join(java.io.File.pathSeparator, entries);
    }
    return classPath;
  }

  private static void copy(Path src, Path dst) throws IOException {
    if (!Files.isDirectory(src)) {
      Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
      Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
      return;
    }
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path d = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
          Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(p, d);
          Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
