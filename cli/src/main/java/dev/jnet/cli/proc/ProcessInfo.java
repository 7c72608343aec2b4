package dev.jnet.cli.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc} says about a process: its short name, its command line, its uid and gid. Best
 * effort, never throws.
 */
public final class ProcessInfo {
  private ProcessInfo() {}

  /**
   * Returns the process's command line with its arguments separated by spaces, as {@code ps} shows
   * it.
   *
   * @param pid the process id
   * @return the command line, or its short name in brackets, or {@code ?} when the process is not
   *     visible
   */
  public static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
      return line.isEmpty() ? "[" + name(pid) + "]" : line;
    } catch (IOException | SecurityException e) {
      return "?";
    }
  }

  /**
   * Returns the process's short name ({@code /proc/PID/comm}).
   *
   * @param pid the process id
   * @return the name, or {@code ?}
   */
  public static String name(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
    } catch (IOException | SecurityException e) {
      return "?";
    }
  }

  /**
   * Returns the process's real uid and gid ({@code /proc/PID/status}).
   *
   * @param pid the process id
   * @return {@code {uid, gid}}, or empty when the process is not visible
   */
  public static Optional<int[]> ids(long pid) {
    try {
      int uid = -1;
      int gid = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Uid:")) {
          uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
        } else if (line.startsWith("Gid:")) {
          gid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
        }
      }
      return uid < 0 || gid < 0 ? Optional.empty() : Optional.of(new int[] {uid, gid});
    } catch (IOException | SecurityException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
