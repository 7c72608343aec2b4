package dev.jnet.cli.proc;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads the kernel's socket tables: {@code /proc/net/tcp}, {@code /proc/net/tcp6}, {@code
 * /proc/net/unix}, and which process holds which socket inode ({@code /proc/PID/fd}). Best effort:
 * other users' processes are visible only with privileges.
 */
public final class ProcNet {
  /** TCP states in {@code /proc/net/tcp}. */
  public static final String ESTABLISHED = "01";

  public static final String LISTEN = "0A";

  /**
   * One row of {@code /proc/net/tcp{,6}}.
   *
   * @param local the local address
   * @param localPort the local port
   * @param remote the remote address
   * @param remotePort the remote port
   * @param state the state in hex ({@code 0A} listen, {@code 01} established)
   * @param uid the owner's uid
   * @param inode the socket's inode
   */
  public record TcpRow(
      String local,
      int localPort,
      String remote,
      int remotePort,
      String state,
      int uid,
      long inode) {}

  /**
   * One row of {@code /proc/net/unix}.
   *
   * @param listening whether it accepts connections
   * @param state the state ({@code 01} unconnected, {@code 03} connected)
   * @param inode the socket's inode
   * @param path the bound path ({@code @name} for abstract), or empty
   */
  public record UnixRow(boolean listening, String state, long inode, String path) {}

  private ProcNet() {}

  public static List<TcpRow> tcp() {
    List<TcpRow> rows = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : lines(table)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[1].contains(":")) {
          continue;
        }
        String[] l = f[1].split(":");
        String[] r = f[2].split(":");
        rows.add(
            new TcpRow(
                address(l[0]),
                Integer.parseInt(l[1], 16),
                address(r[0]),
                Integer.parseInt(r[1], 16),
                f[3],
                Integer.parseInt(f[7]),
                Long.parseLong(f[9])));
      }
    }
    return rows;
  }

  public static List<UnixRow> unix() {
    List<UnixRow> rows = new ArrayList<>();
    for (String line : lines("/proc/net/unix")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 7 || !f[0].endsWith(":")) {
        continue;
      }
      rows.add(
          new UnixRow(
              f[3].endsWith("10000"), f[5], Long.parseLong(f[6]), f.length > 7 ? f[7] : ""));
    }
    return rows;
  }

  /**
   * One connected Unix stream socket as the kernel's socket diagnostics show it.
   *
   * @param path the address it is bound to ({@code @name} for an abstract one), empty for none
   * @param inode its inode
   * @param peerInode the inode of the socket at the other end
   */
  public record UnixPair(String path, long inode, long peerInode) {}

  /**
   * Lists the connected Unix stream sockets with their peers. {@code /proc/net/unix} names no peer;
   * the kernel tells it through sock_diag netlink, which the JDK cannot speak, so this asks {@code
   * ss -x} (iproute2).
   *
   * @return the sockets, or empty if {@code ss} is missing or failed
   */
  public static Optional<List<UnixPair>> unixPairs() {
    Process p;
    try {
      p =
          new ProcessBuilder("ss", "-xnH", "state", "connected")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      List<UnixPair> pairs = new ArrayList<>();
      for (String line : out.split("\n")) {
        // u_str ESTAB 0 0 /run/app.sock 16246842 * 16246840
        String[] f = line.trim().split("\\s+");
        if (f.length >= 8 && f[0].equals("u_str")) {
          try {
            pairs.add(
                new UnixPair(
                    f[4].equals("*") ? "" : f[4], Long.parseLong(f[5]), Long.parseLong(f[7])));
          } catch (NumberFormatException e) {
            // a path with spaces: not one we can name
          }
        }
      }
      return Optional.of(pairs);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * Maps socket inodes to the pids holding them.
   *
   * @return inode to pid (the first holder found)
   */
  public static Map<Long, Long> socketOwners() {
    Map<Long, Long> owners = new HashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            String target = readLink(fd);
            if (target.startsWith("socket:[")) {
              owners.putIfAbsent(Long.parseLong(target.substring(8, target.length() - 1)), pid);
            }
          }
        } catch (IOException | SecurityException | NumberFormatException e) {
          // not ours to look at, or gone
        }
      }
    } catch (IOException e) {
      return owners;
    }
    return owners;
  }

  private static String readLink(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Decodes the kernel's hex address: IPv4 as one little-endian word, IPv6 as four of them. */
  public static String address(String hex) {
    byte[] raw = new byte[hex.length() / 2];
    for (int word = 0; word < raw.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        raw[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      String s = InetAddress.getByAddress(raw).getHostAddress();
      return raw.length == 16 && new BigInteger(1, raw).equals(BigInteger.ZERO) ? "::" : s;
    } catch (UnknownHostException e) {
      return hex;
    }
  }
}
