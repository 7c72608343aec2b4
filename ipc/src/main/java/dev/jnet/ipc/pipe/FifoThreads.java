package dev.jnet.ipc.pipe;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that do the blocking FIFO work: one reader and one writer per connection, and short-lived
 * openers. Idle threads are reused for a minute. This is the first landing's engine; see {@code
 * docs/pipe-protocol.md}, "Implementation notes".
 */
final class FifoThreads {
  private static final AtomicInteger SEQ = new AtomicInteger();
  /** Runs blocking FIFO work; grows as needed, threads die after a minute idle. */
  static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "jnet-pipe-" + SEQ.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  /** Cuts FIFOs whose last write outlived its channel's close. */
  static final ScheduledExecutorService LINGER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "jnet-pipe-linger");
    t.setDaemon(true);
    return t;
  });

  private FifoThreads() {}
}
