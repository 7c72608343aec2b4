package dev.jnet.cli.system;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Netty's loggers for a CLI run without {@code -v}: Netty's classes create a logger each as they
 * load and ask it whether debug is on, which with Netty's default ({@code java.util.logging})
 * starts {@code java.util.logging} in every run, a tenth of a one-shot's start-up. These loggers
 * answer trace and debug with "off" without asking anyone, and hand info, warnings and errors to
 * {@code java.util.logging}, created on the first such message, as before. With {@code -v} the CLI
 * keeps Netty's default, debug included.
 *
 * <p>Thread-safe: loggers may be created and used from any thread.
 */
public final class NettyLogging extends InternalLoggerFactory {
  private NettyLogging() {}

  /** Makes these loggers Netty's default; call before any Netty class loads. */
  public static void install() {
    InternalLoggerFactory.setDefaultFactory(new NettyLogging());
  }

  @Override
  protected InternalLogger newInstance(String name) {
    return new Quiet(name);
  }

  /**
   * One logger: debug and trace off, the rest to {@code java.util.logging}, created on first use.
   */
  private static final class Quiet extends AbstractInternalLogger {
    private static final long serialVersionUID = 1L;
    private static final JdkLoggerFactory JDK = new JdkLoggerFactory();
    private transient volatile InternalLogger target;

    Quiet(String name) {
      super(name);
    }

    private InternalLogger target() {
      InternalLogger t = target;
      if (t == null) {
        t = JDK.newInstance(name());
        target = t;
      }
      return t;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public void trace(String msg) {}

    @Override
    public void trace(String format, Object arg) {}

    @Override
    public void trace(String format, Object a, Object b) {}

    @Override
    public void trace(String format, Object... args) {}

    @Override
    public void trace(String msg, Throwable t) {}

    @Override
    public void trace(Throwable t) {}

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public void debug(String msg) {}

    @Override
    public void debug(String format, Object arg) {}

    @Override
    public void debug(String format, Object a, Object b) {}

    @Override
    public void debug(String format, Object... args) {}

    @Override
    public void debug(String msg, Throwable t) {}

    @Override
    public void debug(Throwable t) {}

    @Override
    public boolean isInfoEnabled() {
      return target().isInfoEnabled();
    }

    @Override
    public void info(String msg) {
      target().info(msg);
    }

    @Override
    public void info(String format, Object arg) {
      target().info(format, arg);
    }

    @Override
    public void info(String format, Object a, Object b) {
      target().info(format, a, b);
    }

    @Override
    public void info(String format, Object... args) {
      target().info(format, args);
    }

    @Override
    public void info(String msg, Throwable t) {
      target().info(msg, t);
    }

    @Override
    public void info(Throwable t) {
      target().info(t);
    }

    @Override
    public boolean isWarnEnabled() {
      return target().isWarnEnabled();
    }

    @Override
    public void warn(String msg) {
      target().warn(msg);
    }

    @Override
    public void warn(String format, Object arg) {
      target().warn(format, arg);
    }

    @Override
    public void warn(String format, Object a, Object b) {
      target().warn(format, a, b);
    }

    @Override
    public void warn(String format, Object... args) {
      target().warn(format, args);
    }

    @Override
    public void warn(String msg, Throwable t) {
      target().warn(msg, t);
    }

    @Override
    public void warn(Throwable t) {
      target().warn(t);
    }

    @Override
    public boolean isErrorEnabled() {
      return target().isErrorEnabled();
    }

    @Override
    public void error(String msg) {
      target().error(msg);
    }

    @Override
    public void error(String format, Object arg) {
      target().error(format, arg);
    }

    @Override
    public void error(String format, Object a, Object b) {
      target().error(format, a, b);
    }

    @Override
    public void error(String format, Object... args) {
      target().error(format, args);
    }

    @Override
    public void error(String msg, Throwable t) {
      target().error(msg, t);
    }

    @Override
    public void error(Throwable t) {
      target().error(t);
    }
  }
}
