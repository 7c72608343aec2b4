package dev.jnet.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Prints every thread's stack to stderr, with the locks it holds and waits for: what a test that
 * timed out leaves behind, so a stall seen once in a loaded CI run can be read afterwards.
 *
 * <p>Stateless; safe from any thread.
 */
public final class ThreadDump {
  private ThreadDump() {}

  /**
   * Prints the dump.
   *
   * @param why the timeout that prompted it
   */
  public static void print(String why) {
    StringBuilder b = new StringBuilder("jnet test: ").append(why).append("; threads:\n");
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      b.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
      if (t.getLockName() != null) {
        b.append(" on ").append(t.getLockName());
      }
      b.append('\n');
      for (StackTraceElement e : t.getStackTrace()) {
        b.append("    at ").append(e).append('\n');
      }
    }
    System.err.print(b);
  }
}
