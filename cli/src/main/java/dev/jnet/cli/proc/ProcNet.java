package dev.jnet.cli.proc;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
