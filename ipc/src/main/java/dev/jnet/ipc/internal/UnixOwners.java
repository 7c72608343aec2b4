package dev.jnet.ipc.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds which process listens on a Unix socket path, from {@code /proc/net/unix} (the socket's inode) and {@code
 * /proc/PID/fd} (who holds it). Best effort: processes of other users are not visible without privileges.
 */
final class UnixOwners {
  private UnixOwners() {}

  /**
   * Describes the listener of a path, such as {@code pid 4242 (node)}.
   *
   * @param path the socket path
   * @return a description, empty when not found
   */
  static Optional<String> describeListener(Path path) {
    Optional<String> inode = listeningInode(path);
    if (inode.isEmpty()) {
      return Optional.empty();
    }
    String target = "socket:[" + inode.get() + "]";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            if (target.equals(readLink(fd))) {
              String comm = Files.readString(proc.resolve("comm")).strip();
              return Optional.of("pid " + proc.getFileName() + " (" + comm + ")");
            }
          }
        } catch (IOException | SecurityException e) {
          // not ours to look at
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String readLink(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      return "";
    }
  }

  /** Returns the inode of the listening socket bound at the path, from /proc/net/unix. */
  static Optional<String> listeningInode(Path path) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/unix"));
      String p = path.toString();
      for (String line : lines) {
        String[] f = line.trim().split("\\s+");
        // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = __SO_ACCEPTCON (listening)
        if (f.length >= 8 && f[7].equals(p) && f[3].endsWith("10000")) {
          return Optional.of(f[6]);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
