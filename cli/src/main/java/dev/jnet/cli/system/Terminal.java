package dev.jnet.cli.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stdout is a terminal, for colour: only on a terminal and never when {@code NO_COLOR} is
 * set.
 */
public final class Terminal {
  private Terminal() {}

  /**
   * Tells whether dump lines may be coloured.
   *
   * @return true if stdout is a terminal and {@code NO_COLOR} is unset or empty
   */
  public static boolean colour() {
    String noColor = System.getenv("NO_COLOR");
    if (noColor != null && !noColor.isEmpty()) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
