package dev.jnet.cli;

/**
 * A command ended in a failure that is not a {@link dev.jnet.NetException}, with the exit code to
 * report; {@link Main} prints its message as the one error line.
 */
final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CommandFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
