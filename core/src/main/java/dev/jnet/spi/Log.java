package dev.jnet.spi;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * jnet's {@code java.util.logging} logger, {@code dev.jnet}, created on first use. Starting {@code
 * java.util.logging} (reading its configuration and the security properties it consults) costs a
 * short-lived process about a tenth of its start-up, and most runs never log anything, so jnet's
 * classes do not hold the logger in a static field: they call {@link #get()} when they have
 * something to say.
 *
 * <p>Warnings and notices always reach the logger. {@link #fine} diagnostics are dropped until the
 * logger exists, unless {@code java.util.logging} is configured by a system property ({@code
 * java.util.logging.config.file} or {@code .class}): a program that configures the {@code dev.jnet}
 * logger in code and wants its FINE messages from the start calls {@link #get()} first.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class Log {
  private static volatile boolean created;
  private static volatile Consumer<Logger> setup = logger -> {};

  private Log() {}

  /**
   * Returns the {@code dev.jnet} logger, starting {@code java.util.logging} if nothing has yet.
   *
   * @return the logger
   */
  public static Logger get() {
    return Holder.LOGGER;
  }

  /**
   * Logs a diagnostic at FINE if jnet's logger exists or logging was configured by a system
   * property; otherwise drops it, rather than start {@code java.util.logging} for a level that is
   * off by default.
   *
   * @param message the message, built only if it is logged
   */
  public static void fine(Supplier<String> message) {
    if (created
        || System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      get().fine(message);
    }
  }

  /**
   * Sets what to do to the logger when it is created (the CLI installs its one-line handler this
   * way), or does it now if the logger exists.
   *
   * @param action the set-up, run once on the thread that creates the logger
   */
  public static void whenCreated(Consumer<Logger> action) {
    synchronized (Log.class) {
      setup = action;
      if (!created) {
        return;
      }
    }
    action.accept(get());
  }

  private static Logger create() {
    Logger logger = Logger.getLogger("dev.jnet");
    Consumer<Logger> action;
    synchronized (Log.class) {
      created = true;
      action = setup;
    }
    action.accept(logger);
    return logger;
  }

  private static final class Holder {
    static final Logger LOGGER = create();
  }
}
