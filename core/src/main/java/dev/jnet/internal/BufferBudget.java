package dev.jnet.internal;

import dev.jnet.spi.Log;
import io.netty.util.internal.PlatformDependent;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one process-wide budget for the bytes jnet holds in buffers on behalf of all its sockets:
 * writes not yet on the wire and received bytes nobody has consumed yet. Each socket's own limits
 * (its {@code highWaterMark} and {@code maxBufferedBytes}) bound one connection; this bounds their
 * sum, so that many connections each within their limits cannot exhaust the process's memory
 * together.
 *
 * <ul>
 *   <li>Above half the budget, writes return {@code false} (backpressure: wait for {@code drain})
 *       and sockets with unconsumed received bytes stop reading until they are consumed.
 *   <li>A write that would take the total past the budget fails with {@code ERR_BUFFER_FULL} and
 *       destroys that socket, as a write past its own {@code maxBufferedBytes} does; bytes moved by
 *       {@code pipe()} are counted but never refused (they already wait for the destination's
 *       drain).
 * </ul>
 *
 * <p>The budget is {@code -Djnet.maxBufferedBytes=SIZE} ({@code 512m}, {@code 2g}, plain bytes), by
 * default half the smaller of the heap limit and the direct-memory limit, and never under 16 MiB.
 *
 * <p>Threading: safe for use from any thread; a counter, no lock.
 */
public final class BufferBudget {
  private static final long MIN = 16L << 20;
  private static final long LIMIT = configured();
  private static final AtomicLong USED = new AtomicLong();

  private BufferBudget() {}

  /**
   * Returns the budget.
   *
   * @return bytes
   */
  public static long limit() {
    return LIMIT;
  }

  /**
   * Returns the bytes counted now.
   *
   * @return bytes
   */
  public static long used() {
    return USED.get();
  }

  /**
   * Counts bytes in (positive) or out (negative).
   *
   * @param n the change
   * @return the total after it
   */
  public static long add(long n) {
    return USED.addAndGet(n);
  }

  /**
   * Counts bytes in only if they fit in the budget.
   *
   * @param n bytes to count
   * @return true if counted; false, and nothing counted, if they would take the total past the
   *     budget
   */
  public static boolean tryAdd(long n) {
    long u;
    do {
      u = USED.get();
      if (u + n > LIMIT) {
        return false;
      }
    } while (!USED.compareAndSet(u, u + n));
    return true;
  }

  /**
   * Tells whether more than half the budget is in use: writers should wait for drain, slow readers
   * stop reading.
   *
   * @return true under pressure
   */
  public static boolean isPressured() {
    return USED.get() > LIMIT / 2;
  }

  private static long configured() {
    String v = System.getProperty("jnet.maxBufferedBytes", "").trim().toLowerCase(Locale.ROOT);
    if (!v.isEmpty()) {
      try {
        return Math.max(1, parseSize(v));
      } catch (NumberFormatException e) {
        Log.get()
            .warning(
                "jnet: ignoring -Djnet.maxBufferedBytes="
                    + v
                    + " (expected bytes, or a size like 512m)");
      }
    }
    long memory = Math.min(Runtime.getRuntime().maxMemory(), PlatformDependent.maxDirectMemory());
    return Math.max(MIN, memory / 2);
  }

  static long parseSize(String v) {
    long unit =
        switch (v.charAt(v.length() - 1)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1;
        };
    String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
    return Math.multiplyExact(Long.parseLong(digits), unit);
  }
}
