package dev.jnet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc} says about a process: its short name and its command line. Best effort, never throws. */
final class ProcessInfo {
  private ProcessInfo() {}

  /**
   * Returns the process's command line with its arguments separated by spaces, as {@code ps} shows it.
   *
   * @param pid the process id
   * @return the command line, or its short name in brackets, or {@code ?} when the process is not visible
   */
  static String commandLine(long pid) {
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
  static String name(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
    } catch (IOException | SecurityException e) {
      return "?";
    }
  }
}
