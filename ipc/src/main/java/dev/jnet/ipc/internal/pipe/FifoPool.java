package dev.jnet.ipc.internal.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process's client FIFO pairs made ahead of use, per server directory: Java 17 can only make a
 * FIFO by running {@code mkfifo(1)}, and one process per connect capped {@code pipe:} at a few
 * hundred connections a second, so one {@code mkfifo} makes many pairs at once.
 *
 * <p>A pair is what protocol step 3 makes, only earlier: created by this process in the server's
 * directory (which the client checked belongs to the server's uid and that nobody else can write
 * to), mode 0600, named by 24 random hex digits. It is checked again when taken ({@code lstat}: a
 * FIFO this process owns) and used only while younger than {@link #maxAgeMs()}, a fraction of the
 * server's 10 s leftover deadline (section 4): the server never reclaims a pair a client may still
 * announce. Pairs nobody took are deleted by this process once too old, and at exit; those of a
 * process that crashed are the server's leftovers, reclaimed as any other.
 *
 * <p>Where {@link NativeFifo} is available (Linux, with {@code java.base/sun.nio.fs} opened to
 * jnet), none of this is needed: {@link #take} makes its pair at once with two {@code mknod(2)}
 * calls, and nothing is made ahead.
 *
 * <p>Demand sizes the batches: a lone connect makes its one pair, as before; connects that follow
 * each other within the age limit double the batch (up to {@value #MAX_BATCH} pairs) each time the
 * stock runs dry, and a background thread ({@code jnet-pipe-mkfifo}) refills a stock that is half
 * spent.
 *
 * <p>Thread-safe.
 */
final class FifoPool {
  /** The most pairs one {@code mkfifo} makes. */
  static final int MAX_BATCH = 512;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The pool of this process. */
  static final FifoPool SHARED = new FifoPool(FifoPool::maxAgeMs);

  private final java.util.function.LongSupplier maxAgeMs;
  private final Map<Path, Stock> stocks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService maker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "jnet-pipe-mkfifo");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean started = new AtomicBoolean();

  /** A FIFO pair made by this process, unannounced. */
  record Pair(String id, Path up, Path down, long madeNanos) {}

  /**
   * A pool whose pairs are used while younger than a limit.
   *
   * @param maxAgeMs the limit, read at every use
   */
  FifoPool(java.util.function.LongSupplier maxAgeMs) {
    this.maxAgeMs = maxAgeMs;
  }

  private long maxAgeNanos() {
    return TimeUnit.MILLISECONDS.toNanos(maxAgeMs.getAsLong());
  }

  /**
   * How long a made pair may wait: a quarter of the server's leftover deadline ({@code
   * jnet.pipe.leftoverMs}, 10 s), at most 2 s; read at every use, as a server reads it when it
   * listens.
   *
   * @return milliseconds
   */
  static long maxAgeMs() {
    return Math.max(1, Math.min(2_000, Long.getLong("jnet.pipe.leftoverMs", 10_000) / 4));
  }

  /**
   * Takes a fresh pair for a directory, making some if none is left.
   *
   * @param dir the server's directory, already checked
   * @return a pair of FIFOs this process owns, to announce at once
   * @throws IOException if {@code mkfifo} fails
   */
  Pair take(Path dir) throws IOException {
    if (NativeFifo.available()) {
      return makeNow(dir); // two system calls: nothing to gain from making pairs ahead
    }
    startOnce();
    while (true) {
      Stock s = stocks.computeIfAbsent(dir, Stock::new);
      Pair p = s.take();
      if (p != null) {
        return p;
      }
      stocks.remove(dir, s); // retired as idle meanwhile: its replacement takes over
    }
  }

  /**
   * Counts the pairs waiting for a directory (for tests).
   *
   * @param dir the directory
   * @return how many
   */
  int stocked(Path dir) {
    Stock s = stocks.get(dir);
    return s == null ? 0 : s.size();
  }

  /**
   * Deletes every pair nobody took, once the batches being made are done (for tests, and at exit).
   */
  void clear() {
    stocks.values().forEach(Stock::clear);
  }

  private void startOnce() {
    if (started.compareAndSet(false, true)) {
      maker.schedule(this::expireAll, maxAgeMs.getAsLong() / 2, TimeUnit.MILLISECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(this::clear, "jnet-pipe-mkfifo-exit"));
    }
  }

  private void expireAll() {
    long now = System.nanoTime();
    try {
      stocks.values().removeIf(s -> s.expire(now, false));
    } finally {
      maker.schedule(this::expireAll, Math.max(1, maxAgeMs.getAsLong() / 2), TimeUnit.MILLISECONDS);
    }
  }

  /** The pairs of one directory. */
  private final class Stock {
    private final Path dir;
    private final ArrayDeque<Pair> pairs = new ArrayDeque<>();
    private int batch = 1;
    private long lastTake;
    private boolean refilling;
    private boolean retired; // out of the map: whatever comes to it is deleted

    Stock(Path dir) {
      this.dir = dir;
    }

    Pair take() throws IOException {
      long now = System.nanoTime();
      boolean sustained;
      int n;
      synchronized (this) {
        if (retired) {
          return null;
        }
        sustained = lastTake != 0 && now - lastTake < maxAgeNanos();
        lastTake = now;
        Pair p = fresh(now);
        if (p == null && refilling) {
          batch = Math.min(MAX_BATCH, batch * 2); // ran dry all the same: the next refill is larger
          p = awaitRefill();
        }
        if (p != null) {
          refillIfLow(sustained);
          return p;
        }
        batch = sustained ? Math.min(MAX_BATCH, batch * 2) : 1;
        n = batch;
      }
      List<Pair> made = make(n);
      synchronized (this) {
        if (retired) { // the batch took longer than the age limit: nobody would delete the rest
          made.subList(1, made.size()).forEach(p -> Fifos.delete(p.up(), p.down()));
        } else {
          pairs.addAll(made.subList(1, made.size()));
        }
      }
      return made.get(0);
    }

    /**
     * The first pair young enough and still ours. Older ones are deleted; one that is no longer
     * this process's FIFO pair (a restarted server reclaimed it) is dropped, and left to its owner.
     */
    private Pair fresh(long now) {
      Pair p;
      while ((p = pairs.poll()) != null) {
        if (now - p.madeNanos() >= maxAgeNanos()) {
          Fifos.delete(p.up(), p.down());
        } else if (isOurs(p)) {
          return p;
        }
      }
      return null;
    }

    /** Waits (holding the lock) until no batch is being made or one arrived. */
    private Pair awaitRefill() throws InterruptedIOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // mkfifo's 10 s, and more
      while (refilling && pairs.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while FIFOs were made");
        }
      }
      return fresh(System.nanoTime());
    }

    private void refillIfLow(boolean sustained) {
      if (!sustained || refilling || pairs.size() * 2 > batch) {
        return;
      }
      refilling = true;
      int n = batch; // a whole batch: one process per batch of connects, whatever is left
      try {
        maker.execute(() -> refill(n));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        refilling = false;
      }
    }

    private void refill(int n) {
      List<Pair> made = List.of();
      try {
        made = make(n);
      } catch (IOException | RuntimeException e) {
        // the directory went (its server closed): the next take makes its own and reports it
      } finally {
        synchronized (this) {
          pairs.addAll(made);
          refilling = false;
          notifyAll();
        }
      }
    }

    /**
     * Deletes the pairs made before {@code now - maxAge}, or all of them.
     *
     * @return true if the stock is now empty and idle: it is then retired, to be removed
     */
    synchronized boolean expire(long now, boolean all) {
      boolean wasted = false;
      long maxAge = maxAgeNanos();
      while (!pairs.isEmpty() && (all || now - pairs.peek().madeNanos() >= maxAge)) {
        Pair p = pairs.poll();
        Fifos.delete(p.up(), p.down());
        wasted = true;
      }
      if (wasted) {
        batch = Math.max(1, batch / 2); // made more than demand took
      }
      if (!all && pairs.isEmpty() && !refilling && now - lastTake > maxAge) {
        retired = true;
      }
      return retired;
    }

    synchronized void clear() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // mkfifo's 10 s, and more
      long left;
      while (refilling && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(
              this, left); // a batch in flight would outlive the clean-up
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break; // deleting what is there is all that can be done
        }
      }
      expire(System.nanoTime(), true);
    }

    synchronized int size() {
      return pairs.size();
    }

    private List<Pair> make(int wanted) throws IOException {
      // mkfifo's arguments stay far below the kernel's limit, whatever the directory's length
      int n = Math.max(1, Math.min(wanted, 256 * 1024 / (2 * (dir.toString().length() + 32))));
      long t = System.nanoTime();
      List<Pair> made = new ArrayList<>(n);
      Path[] paths = new Path[2 * n];
      for (int i = 0; i < n; i++) {
        String id = HexFormat.of().formatHex(randomBytes());
        Pair p = new Pair(id, dir.resolve(id + ".up"), dir.resolve(id + ".down"), t);
        made.add(p);
        paths[2 * i] = p.up();
        paths[2 * i + 1] = p.down();
      }
      try {
        Fifos.make(paths);
      } catch (IOException | RuntimeException e) {
        Fifos.delete(paths); // some may have been made before the failure
        throw e;
      }
      return made;
    }
  }

  /**
   * Makes one pair at once with {@link NativeFifo}, which must be available.
   *
   * @param dir the server's directory, already checked
   * @return a pair of FIFOs this process owns
   * @throws IOException if a FIFO cannot be made
   */
  private static Pair makeNow(Path dir) throws IOException {
    String id = HexFormat.of().formatHex(randomBytes());
    Pair p = new Pair(id, dir.resolve(id + ".up"), dir.resolve(id + ".down"), System.nanoTime());
    try {
      NativeFifo.make(p.up());
      NativeFifo.make(p.down());
    } catch (IOException | RuntimeException e) {
      Fifos.delete(p.up(), p.down()); // the first may have been made
      throw e;
    }
    return p;
  }

  private static boolean isOurs(Pair p) {
    try {
      PipeTrust.checkOwnFifo(p.up());
      PipeTrust.checkOwnFifo(p.down());
      return true;
    } catch (IOException e) {
      return false; // reclaimed by a server that restarted, or replaced: never used
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return b;
  }
}
