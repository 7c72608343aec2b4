package dev.jnet.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes jnet's own {@code java.util.logging} messages (logger {@code dev.jnet}, such as the IPC transport's
 * {@code jnet: reclaimed stale socket ...}) to stderr as one plain line each, instead of the JDK's two-line format
 * with a timestamp and a class name. Warnings and above always show; INFO too (they are notices worth a line);
 * the rest only with {@code -v}.
 */
final class LogLines extends Handler {
  /** Kept reachable: {@code java.util.logging} holds loggers weakly, and the configuration must not be lost. */
  private static final Logger JNET = Logger.getLogger("dev.jnet");

  private static final SimpleFormatter FORMAT = new SimpleFormatter();

  private final PrintStream err;

  private LogLines(PrintStream err) {
    this.err = err;
  }

  /**
   * Installs the one-line handler on the {@code dev.jnet} logger.
   *
   * @param err where the lines go
   * @param verbose whether to show FINE messages too
   */
  static void install(PrintStream err, boolean verbose) {
    JNET.setUseParentHandlers(false);
    for (Handler h : JNET.getHandlers()) {
      JNET.removeHandler(h);
    }
    Level level = verbose ? Level.FINE : Level.INFO;
    JNET.setLevel(level);
    LogLines handler = new LogLines(err);
    handler.setLevel(level);
    JNET.addHandler(handler);
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String message = FORMAT.formatMessage(record);
    if (message == null) {
      return;
    }
    if (record.getThrown() != null) {
      message += ": " + record.getThrown();
    }
    err.println(message.startsWith("jnet: ") ? message : "jnet: " + message);
    err.flush();
  }

  @Override
  public void flush() {
    err.flush();
  }

  @Override
  public void close() {
    flush();
  }
}
