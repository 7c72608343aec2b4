package dev.jnet.cli.system;

import dev.jnet.spi.Log;
import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes jnet's own {@code java.util.logging} messages (logger {@code dev.jnet}, such as the IPC
 * transport's {@code jnet: reclaimed stale socket ...}) to stderr as one plain line each, instead
 * of the JDK's two-line format with a timestamp and a class name. Warnings and above always show;
 * INFO too (they are notices worth a line); the rest only with {@code -v}.
 *
 * <p>The handler is attached when jnet first logs, so a run that logs nothing never starts {@code
 * java.util.logging} (a tenth of a one-shot's start-up); this class therefore does not itself
 * extend {@link Handler}, whose loading starts it. Thread-safe, as {@code java.util.logging}
 * handlers are.
 */
public final class LogLines {
  private LogLines() {}

  /**
   * Installs the one-line handler on the {@code dev.jnet} logger when jnet first logs; with {@code
   * verbose}, at once, so FINE diagnostics flow from the start.
   *
   * @param err where the lines go
   * @param verbose whether to show FINE messages too
   */
  public static void install(PrintStream err, boolean verbose) {
    Log.whenCreated(logger -> attach(logger, err, verbose));
    if (verbose) {
      Log.get();
    }
  }

  private static void attach(Logger jnet, PrintStream err, boolean verbose) {
    jnet.setUseParentHandlers(false);
    for (Handler h : jnet.getHandlers()) {
      jnet.removeHandler(h);
    }
    Level level = verbose ? Level.FINE : Level.INFO;
    jnet.setLevel(level);
    Lines handler = new Lines(err);
    handler.setLevel(level);
    jnet.addHandler(handler);
  }

  /** The handler: one line per record, prefixed {@code jnet: }. */
  private static final class Lines extends Handler {
    private final SimpleFormatter format = new SimpleFormatter();
    private final PrintStream err;

    Lines(PrintStream err) {
      this.err = err;
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String message = format.formatMessage(record);
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
}
