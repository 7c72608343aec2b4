package dev.jnet.ipc.internal.pipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Opens a connection's FIFO ends one after the other on the calling opener thread, in protocol
 * order (the client: {@code .up} for writing, then {@code .down} for reading; the server: {@code
 * .up} for reading, then {@code .down} for writing), so that each side of a connection blocks one
 * thread at a time and no thread coordinates the others. Each {@code open(2)} blocks until the
 * other side opens its end; one watchdog thread ({@code jnet-pipe-watchdog}) checks every {@value
 * #TICK_MS} ms whether an open must be given up (its {@link Fifos.Abort} says why), reports that at
 * once, and then releases the blocked open ({@link Fifos#unblock}) at every tick until its opener
 * returned: an opener that had not reached its {@code open} at the first release would block again
 * after it. The watchdog ticks only while opens are pending.
 *
 * <p>Thread-safe; {@link #open} blocks, so it never runs on an event loop.
 */
final class OpenWatchdog {
  /** How often pending opens are checked. */
  static final long TICK_MS = 10;

  /** How long an aborted open is released before it is left blocked (its FIFO vanished). */
  private static final long RELEASE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int ABORTED = 2;

  private static final Set<Watched> PENDING = ConcurrentHashMap.newKeySet();
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "jnet-pipe-watchdog");
            t.setDaemon(true);
            return t;
          });
  private static final Object LOCK = new Object();
  private static ScheduledFuture<?> ticking; // guarded by LOCK

  private OpenWatchdog() {}

  /** One watched sequence of opens. */
  private static final class Watched {
    final Path[] paths;
    final Fifos.Abort abort;
    final Consumer<IOException> onAbort;

    /** Running, then either done (the opener won) or aborted (the watchdog won). */
    final java.util.concurrent.atomic.AtomicInteger state =
        new java.util.concurrent.atomic.AtomicInteger(RUNNING);

    volatile int current = -1;
    volatile IOException failure;
    long abortedAt; // watchdog thread only

    Watched(Path[] paths, Fifos.Abort abort, Consumer<IOException> onAbort) {
      this.paths = paths;
      this.abort = abort;
      this.onAbort = onAbort;
    }
  }

  /**
   * Opens FIFO ends in order, giving up when {@code abort} says so: {@code onAbort} then hears the
   * reason at once (on the watchdog's thread), even if an open stays blocked, and this method
   * throws it once its opens were released, closing whatever opened.
   *
   * @param paths the FIFOs, in the order to open them
   * @param forWrite for each, whether to open the write end
   * @param engine the engine the ends are for (see {@link FifoEnd#open})
   * @param abort checked at every tick while waiting
   * @param onAbort told the abort's reason as soon as it is known
   * @return the ends, in the order of {@code paths}
   * @throws IOException the abort's reason, or an open's failure
   */
  static FifoEnd[] open(
      Path[] paths,
      boolean[] forWrite,
      FifoEngine engine,
      Fifos.Abort abort,
      Consumer<IOException> onAbort)
      throws IOException {
    Watched w = new Watched(paths, abort, onAbort);
    FifoEnd[] out = new FifoEnd[paths.length];
    watch(w);
    try {
      for (int i = 0; i < paths.length; i++) {
        failIfAborted(w);
        w.current = i;
        out[i] = FifoEnd.open(paths[i], forWrite[i], engine);
      }
      if (!w.state.compareAndSet(RUNNING, DONE)) {
        throw w.failure; // given up meanwhile, and already reported as such
      }
      return out;
    } catch (IOException | RuntimeException e) {
      for (FifoEnd c : out) {
        Fifos.close(c);
      }
      if (w.state.get() == ABORTED) {
        throw w.failure;
      }
      throw e;
    } finally {
      PENDING.remove(w);
    }
  }

  private static void failIfAborted(Watched w) throws IOException {
    if (w.state.get() == ABORTED) {
      throw w.failure;
    }
  }

  private static void watch(Watched w) {
    PENDING.add(w);
    synchronized (LOCK) {
      if (ticking == null) {
        ticking =
            WATCHDOG.scheduleWithFixedDelay(
                OpenWatchdog::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
      }
    }
  }

  private static void tick() {
    for (Watched w : PENDING) {
      try {
        if (w.state.get() == RUNNING) {
          IOException f = w.abort.check();
          if (f != null) {
            w.failure = f; // written before the state: the opener reads it after
            w.abortedAt = System.nanoTime();
            if (w.state.compareAndSet(RUNNING, ABORTED)) {
              w.onAbort.accept(f);
            }
          }
        }
        int i = w.current;
        boolean aborted = w.state.get() == ABORTED;
        if (aborted && System.nanoTime() - w.abortedAt > RELEASE_NANOS) {
          PENDING.remove(w); // its FIFO vanished before it could be released: the opener stays
        } else if (aborted && i >= 0) {
          Fifos.unblock(w.paths[i]);
        }
      } catch (RuntimeException e) {
        // one watched open's trouble never stops the watchdog for the others
      }
    }
    synchronized (LOCK) {
      if (PENDING.isEmpty() && ticking != null) {
        ticking.cancel(false);
        ticking = null;
      }
    }
  }
}
