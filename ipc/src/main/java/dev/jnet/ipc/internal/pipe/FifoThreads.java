package dev.jnet.ipc.internal.pipe;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that do blocking FIFO work, named for what they do:
 *
 * <ul>
 *   <li>{@code jnet-pipe-open-N}: the {@code open(2)} calls of connection set-up, which block until
 *       the other end opens (both engines). Short-lived: idle ones end after {@value
 *       #OPENER_IDLE_SECONDS} s.
 *   <li>{@code jnet-pipe-io-N}: the thread engine's reader and writer of each connection, and a
 *       listening server's reader of its well-known FIFO under that engine. The epoll engine starts
 *       none.
 *   <li>{@code jnet-pipe-linger}: cuts FIFOs whose last blocking write outlived its channel's
 *       close.
 * </ul>
 *
 * <p>Two more are held by the classes they serve: {@code jnet-pipe-watchdog} ({@link OpenWatchdog}:
 * gives up and releases blocked opens) and {@code jnet-pipe-mkfifo} ({@link FifoPool}: makes FIFO
 * pairs ahead of use, and deletes unused ones).
 *
 * <p>All pools are thread-safe executors; see {@code docs/pipe-protocol.md}, "Implementation
 * notes".
 */
final class FifoThreads {
  /** How long an idle opener thread lives. */
  static final int OPENER_IDLE_SECONDS = 10;

  /** Runs the blocking opens of connection set-up; grows as needed. */
  static final ExecutorService OPENERS = pool("jnet-pipe-open-", OPENER_IDLE_SECONDS);

  /**
   * Runs the thread engine's blocking reads and writes; grows as needed, threads die after a minute
   * idle.
   */
  static final ExecutorService IO = pool("jnet-pipe-io-", 60);

  /** Cuts FIFOs whose last write outlived its channel's close. */
  static final ScheduledExecutorService LINGER =
      Executors.newSingleThreadScheduledExecutor(named("jnet-pipe-linger"));

  private FifoThreads() {}

  private static ExecutorService pool(String prefix, int idleSeconds) {
    AtomicInteger seq = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        idleSeconds,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> named(prefix + seq.incrementAndGet()).newThread(r));
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
