package dev.jnet.cli;

import dev.jnet.ErrorCode;

/**
 * The documented exit codes of {@code jnet} (DESIGN.md section 7), and which Node error code maps to which.
 * The same table is printed in the top-level {@code --help}.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int ERROR = 1;
  static final int USAGE = 2;
  static final int REFUSED = 3;
  static final int CONNECT_TIMEOUT = 4;
  static final int IDLE_TIMEOUT = 5;
  static final int RESET = 7;
  static final int ADDRESS_IN_USE = 8;
  static final int PERMISSION_DENIED = 9;
  static final int SCAN_FOUND_CLOSED = 10;
  static final int INTERRUPTED = 130;

  /** The help section: {@code code:description} pairs in picocli's {@code exitCodeList} format. */
  static final String[] HELP = {
    " 0:ok",
    " 1:error, also a local end that failed (stdout, stdin, a file: ENOSPC, EISDIR, ENOENT ...)",
    " 2:usage error (bad option, bad endpoint)",
    " 3:connection refused / nothing listening (ECONNREFUSED, ENOENT)",
    " 4:connect timeout (ETIMEDOUT)",
    " 5:idle or linger timeout: the output may be incomplete",
    " 7:connection reset (ECONNRESET, EPIPE)",
    " 8:address in use (EADDRINUSE)",
    " 9:permission denied (EACCES), on a socket or a file",
    "10:scan found closed targets",
    "130:interrupted (SIGINT)",
  };

  private ExitCodes() {}

  /**
   * Maps a Node error code to the exit code that reports it.
   *
   * @param code the code of the failure
   * @return the exit code
   */
  static int of(ErrorCode code) {
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
