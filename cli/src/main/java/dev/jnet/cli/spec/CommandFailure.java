package dev.jnet.cli.spec;

/**
 * A command ended in a failure that is not a {@link dev.jnet.NetException}, with the exit code to
 * report; {@link dev.jnet.cli.Main} prints its message as the one error line.
 */
public final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CommandFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
