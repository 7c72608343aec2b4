package dev.jnet.ipc.internal;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * What an inherited descriptor is, read off {@code /proc}: the link {@code /proc/self/fd/N} names
 * the socket's inode, and the inode's row in {@code /proc/net/unix}, {@code tcp} or {@code tcp6}
 * gives its family and whether it listens. Also makes the descriptor non-blocking, which Netty
 * never does for a handed-in descriptor.
 *
 * @param fd the descriptor number
 * @param family the address family
 * @param listening whether the socket listens (else it is connected)
 * @param unixPath a Unix socket's bound path as {@code /proc/net/unix} shows it ({@code @name} for
 *     an abstract name), empty if unbound or not Unix; Netty does not report it for a wrapped
 *     listener
 */
record InheritedSocket(int fd, Family family, boolean listening, String unixPath) {
  /** The socket families an {@code fd:} endpoint accepts. */
  enum Family {
    TCP,
    UNIX
  }

  private static final String TCP_LISTEN = "0A";
  private static final String TCP_ESTABLISHED = "01";
  private static final int UNIX_ACCEPTCON = 0x10000;
  private static final String UNIX_STREAM = "0001";

  /**
   * Inspects a descriptor.
   *
   * @param fd the descriptor
   * @param syscall the operation, for errors
   * @return what it is
   * @throws NetException EBADF if it is not open, ENOTSOCK if it is not a stream socket jnet can
   *     serve
   */
  static InheritedSocket inspect(int fd, String syscall) throws NetException {
    String link;
    try {
      link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    } catch (NoSuchFileException e) {
      throw error(ErrorCode.EBADF, syscall, fd, "no open descriptor " + fd + " in this process");
    } catch (IOException e) {
      throw error(
          ErrorCode.EBADF, syscall, fd, "cannot read /proc/self/fd/" + fd + ": " + e.getMessage());
    }
    if (!link.startsWith("socket:[")) {
      throw error(
          ErrorCode.ENOTSOCK, syscall, fd, "descriptor " + fd + " is " + link + ", not a socket");
    }
    String inode = link.substring("socket:[".length(), link.length() - 1);
    for (String row : rows("/proc/net/unix")) {
      String[] c = row.trim().split("\\s+");
      if (c.length >= 7 && c[6].equals(inode)) {
        if (!c[4].equals(UNIX_STREAM)) {
          throw error(
              ErrorCode.ENOTSOCK, syscall, fd, "descriptor " + fd + " is not a stream Unix socket");
        }
        return new InheritedSocket(
            fd,
            Family.UNIX,
            (Integer.parseInt(c[3], 16) & UNIX_ACCEPTCON) != 0,
            c.length >= 8 ? c[7] : "");
      }
    }
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String row : rows(table)) {
        String[] c = row.trim().split("\\s+");
        if (c.length >= 10 && c[9].equals(inode)) {
          if (!c[3].equals(TCP_LISTEN) && !c[3].equals(TCP_ESTABLISHED)) {
            throw error(
                ErrorCode.EINVAL,
                syscall,
                fd,
                "TCP descriptor " + fd + " neither listens nor is connected (state " + c[3] + ")");
          }
          return new InheritedSocket(fd, Family.TCP, c[3].equals(TCP_LISTEN), "");
        }
      }
    }
    throw error(
        ErrorCode.ENOTSOCK,
        syscall,
        fd,
        "descriptor "
            + fd
            + " is a socket jnet cannot serve (neither TCP nor a Unix stream socket)");
  }

  /**
   * Sets O_NONBLOCK on the descriptor's open file (shared with whoever else holds it, as with
   * systemd), through junixsocket's native {@code fcntl} wrapper. It calls that wrapper directly
   * rather than casting the descriptor to a junixsocket channel: such a channel shuts the socket
   * down when it is closed or collected, which would end the connection for Netty too.
   *
   * @param syscall the operation, for errors
   * @throws NetException if the flag cannot be set
   */
  void makeNonBlocking(String syscall) throws NetException {
    if (!NonBlocking.supported()) {
      throw error(
          ErrorCode.ENOTSUP,
          syscall,
          fd,
          "cannot make descriptor "
              + fd
              + " non-blocking (junixsocket's native library is needed)");
    }
    try {
      NonBlocking.set(FileDescriptorCast.unsafeUsing(fd).getFileDescriptor());
    } catch (IOException e) {
      throw error(
          ErrorCode.EINVAL,
          syscall,
          fd,
          "cannot make descriptor " + fd + " non-blocking: " + e.getMessage());
    }
  }

  private static List<String> rows(String table) {
    try {
      List<String> lines = Files.readAllLines(Path.of(table));
      return lines.isEmpty() ? lines : lines.subList(1, lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }

  static NetException error(ErrorCode code, String syscall, int fd, String why) {
    return NetException.withMessage(
        code, syscall, "fd:" + fd, syscall + " " + code + " fd:" + fd + " (" + why + ")");
  }
}
