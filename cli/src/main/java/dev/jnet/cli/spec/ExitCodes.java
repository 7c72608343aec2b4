package dev.jnet.cli.spec;

import dev.jnet.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code jnet}, and which Node error code maps to which. This is the one table:
 * the top-level {@code --help} prints {@link #help()}, built from the same entries the code
 * returns.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int REFUSED = 3;
  public static final int CONNECT_TIMEOUT = 4;
  public static final int LINGER_EXPIRED = 5;
  public static final int RESET = 7;
  public static final int ADDRESS_IN_USE = 8;
  public static final int PERMISSION_DENIED = 9;
  public static final int SCAN_FOUND_CLOSED = 10;
  public static final int INTERRUPTED = 130;

  private static final Map<Integer, String> MEANINGS = meanings();

  private static Map<Integer, String> meanings() {
    Map<Integer, String> m = new LinkedHashMap<>();
    m.put(OK, "ok");
    m.put(ERROR, "error, also a local end that failed (stdout, stdin, a file: ENOSPC, EISDIR ...)");
    m.put(USAGE, "usage error (no command, bad option, bad endpoint)");
    m.put(REFUSED, "connection refused, nothing listening (ECONNREFUSED, ENOENT)");
    m.put(CONNECT_TIMEOUT, "connect timeout (ETIMEDOUT)");
    m.put(LINGER_EXPIRED, "--linger expired before the peer ended: the output may be incomplete");
    m.put(RESET, "connection reset (ECONNRESET, EPIPE)");
    m.put(ADDRESS_IN_USE, "address in use (EADDRINUSE)");
    m.put(PERMISSION_DENIED, "permission denied (EACCES), on a socket or a file");
    m.put(SCAN_FOUND_CLOSED, "scan found closed targets");
    m.put(INTERRUPTED, "interrupted (SIGINT)");
    return Collections.unmodifiableMap(m);
  }

  /**
   * The codes each command can return, by number (the meanings are the table above); a command not
   * listed returns 0 or a usage error only.
   */
  private static final String BY_COMMAND =
      """
      connect     0 1 2 3 4 5 7 9 130
      listen      0 1 2 5 7 8 9 130
      relay       0 1 2 3 4 7 8 9 130
      send        0 1 2 3 4 5 7 9 130
      recv        0 1 2 7 8 9 130
      echo        0 1 2 8 9 130
      bench       0 1 2 3 4 7
      scan        0 2 10
      info        0 2 3
      resolve     0 2
      completion  0 2
      """;

  /**
   * Returns the help section: each code, right-aligned, with what it means, in picocli's {@code
   * exitCodeList} form.
   *
   * @return code to meaning, in ascending order
   */
  public static Map<String, String> help() {
    return help(MEANINGS.keySet().stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Returns one command's help section, in the layout of {@link #help()}: the codes it can return,
   * with the meanings of the one table.
   *
   * @param command the command's name
   * @return code to meaning, in ascending order; empty for a command with no list
   */
  public static Map<String, String> help(String command) {
    return BY_COMMAND
        .lines()
        .map(line -> line.trim().split("\\s+"))
        .filter(f -> f[0].equals(command))
        .findFirst()
        .map(
            f ->
                help(java.util.Arrays.stream(f, 1, f.length).mapToInt(Integer::parseInt).toArray()))
        .orElse(Map.of());
  }

  private static Map<String, String> help(int... codes) {
    Map<String, String> help = new LinkedHashMap<>();
    for (int code : codes) {
      String meaning = MEANINGS.get(code);
      if (meaning == null) {
        throw new IllegalStateException("exit code " + code + " is not in the table");
      }
      help.put(String.format("%3d", code), meaning);
    }
    return help;
  }

  private ExitCodes() {}

  /**
   * Maps a Node error code to the exit code that reports it.
   *
   * @param code the code of the failure
   * @return the exit code
   */
  public static int of(ErrorCode code) {
    return switch (code) {
      case ECONNREFUSED, ENOENT -> REFUSED;
      case ETIMEDOUT -> CONNECT_TIMEOUT;
      case ECONNRESET, EPIPE -> RESET;
      case EADDRINUSE -> ADDRESS_IN_USE;
      case EACCES -> PERMISSION_DENIED;
      default -> ERROR;
    };
  }
}
