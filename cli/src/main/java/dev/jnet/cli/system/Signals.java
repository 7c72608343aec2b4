package dev.jnet.cli.system;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;

/**
 * Installs handlers for POSIX signals (SIGINT, SIGTERM) through the JDK's {@code sun.misc.Signal},
 * reached by reflection so the build stays free of internal-API warnings. Where it is unavailable
 * the JVM's default stays: shutdown with exit code 128 + the signal number.
 */
public final class Signals {
  /**
   * A server's grace period: after SIGTERM or SIGINT it stops accepting, destroys its open
   * connections, and waits at most this long for the listener and those connections to close before
   * it exits anyway.
   */
  public static final Duration GRACE = Duration.ofSeconds(2);

  private Signals() {}

  /**
   * Runs {@code action} on a JVM signal thread each time the signal arrives, instead of shutting
   * down.
   *
   * @param name the signal's name without {@code SIG}: {@code INT}, {@code TERM}
   * @param action what to do; must return quickly
   * @return true if the handler is installed
   */
  public static boolean handle(String name, Runnable action) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object signal = signalType.getConstructor(String.class).newInstance(name);
      Object handler =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(), new Class<?>[] {handlerType}, new Handler(action));
      signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
      return true;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return false;
    }
  }

  private record Handler(Runnable action) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      return switch (method.getName()) {
        case "handle" -> {
          action.run();
          yield null;
        }
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "jnet signal handler";
      };
    }
  }
}
