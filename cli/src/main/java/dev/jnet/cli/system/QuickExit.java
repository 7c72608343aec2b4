package dev.jnet.cli.system;

import dev.jnet.spi.IoEngine;
import io.netty.util.concurrent.EventExecutor;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a command's JVM exit at once. At exit HotSpot waits up to 300 ms for the threads that are
 * running native code to stop, and two kinds of ours always are: jnet's I/O threads, idle in {@code
 * epoll_wait}, and the stdin reader, blocked in {@code read}. Just before {@code System.exit},
 * {@link #prepare()} closes stdin (which wakes its reader) and parks each of the engine's I/O
 * threads in Java, where the JVM need not wait for it.
 *
 * <p>It parks the engine's threads, not a socket's: it keeps no reference to any socket, so a
 * server that served a million connections exits as fast as one that served none (each socket used
 * to be kept here until exit, and parked one after the other, 100 ms each once their shared thread
 * was parked).
 *
 * <p>Only {@link dev.jnet.cli.Main#main} calls {@link #prepare()}: in-process runs (tests, {@code
 * selftest}) keep their threads.
 */
public final class QuickExit {
  private static final long PARK_WAIT_MILLIS = 100;
  private static final List<Closeable> INPUTS = new CopyOnWriteArrayList<>();

  private QuickExit() {}

  /** Closes this input at exit, waking a thread blocked reading it. */
  public static void register(Closeable input) {
    INPUTS.add(input);
  }

  /**
   * Readies the process for {@code System.exit}; it must not be used for anything else afterwards.
   */
  public static void prepare() {
    for (Closeable in : INPUTS) {
      try {
        in.close();
      } catch (IOException e) {
        // exiting anyway
      }
    }
    // whichever command started the engine: a command that forgot to say so used to wait 300 ms
    if (IoEngine.started()) {
      parkIoThreads();
    }
  }

  private static void parkIoThreads() {
    List<EventExecutor> loops = new CopyOnWriteArrayList<>();
    IoEngine.current().group().forEach(loops::add);
    CountDownLatch parked = new CountDownLatch(loops.size());
    for (EventExecutor loop : loops) {
      try {
        loop.execute(
            () -> {
              parked.countDown();
              while (true) {
                LockSupport.park();
              }
            });
      } catch (RejectedExecutionException e) {
        parked.countDown(); // shut down already: nothing runs there
      }
    }
    try {
      parked.await(PARK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
