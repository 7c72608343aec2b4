package dev.jnet.ipc.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads {@code /proc/net/unix} (each socket's inode, flags, state and bound path) and {@code
 * /proc/PID/fd} (who holds an inode): which process listens on a path, whether a socket is bound
 * there without listening yet, and whether a descriptor is a fresh unbound socket. Best effort:
 * processes of other users are not visible without privileges, and sockets of other network
 * namespaces not at all.
 */
final class UnixOwners {
  private static final int ACCEPTCON = 0x10000;
  private static final String UNCONNECTED = "01";
  private static final String STREAM = "0001";

  private UnixOwners() {}

  /** One row of /proc/net/unix: Num RefCount Protocol Flags Type St Inode [Path]. */
  private record Row(int flags, String type, String state, String inode, String path) {
    static Optional<Row> parse(String line) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 7 || !f[0].endsWith(":")) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new Row(Integer.parseInt(f[3], 16), f[4], f[5], f[6], f.length >= 8 ? f[7] : ""));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    boolean listening() {
      return (flags & ACCEPTCON) != 0;
    }
  }

  private static Optional<Row> find(Predicate<Row> which) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/unix"));
      return lines.stream()
          .skip(1)
          .map(Row::parse)
          .flatMap(Optional::stream)
          .filter(which)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Describes the listener of a path, such as {@code pid 4242 (node)}.
   *
   * @param path the socket path
   * @return a description, empty when not found
   */
  static Optional<String> describeListener(Path path) {
    return listeningInode(path).flatMap(UnixOwners::describeHolder);
  }

  /** Returns the inode of the listening socket bound at the path, from /proc/net/unix. */
  static Optional<String> listeningInode(Path path) {
    String p = path.toString();
    return find(r -> r.path().equals(p) && r.listening()).map(Row::inode);
  }

  /**
   * Returns the inode of a stream socket bound at the path that does not listen (yet): another
   * server between its {@code bind} and its {@code listen}, or a process that bound and never
   * listened.
   *
   * @param path the socket path
   * @return the socket's inode, empty if none
   */
  static Optional<String> boundNotListening(Path path) {
    String p = path.toString();
    return find(r ->
            r.path().equals(p)
                && !r.listening()
                && r.state().equals(UNCONNECTED)
                && r.type().equals(STREAM))
        .map(Row::inode);
  }

  /**
   * Tells whether a socket inode is an unbound, unconnected stream Unix socket.
   *
   * @param inode the inode, as in {@code socket:[INODE]}
   * @return true if so
   */
  static boolean isUnboundStream(String inode) {
    return find(r -> r.inode().equals(inode))
        .filter(
            r ->
                r.path().isEmpty()
                    && !r.listening()
                    && r.state().equals(UNCONNECTED)
                    && r.type().equals(STREAM))
        .isPresent();
  }

  /**
   * Names the process holding a socket inode, such as {@code pid 4242 (node)}.
   *
   * @param inode the inode
   * @return a description, empty when not visible
   */
  static Optional<String> describeHolder(String inode) {
    String target = "socket:[" + inode + "]";
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
}
