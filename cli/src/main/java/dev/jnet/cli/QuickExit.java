package dev.jnet.cli;

import dev.jnet.Socket;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a one-shot command's JVM exit at once. At exit HotSpot waits up to 300 ms for every thread that is running
 * native code to stop, and two of ours always are: the socket's I/O thread, idle in {@code epoll_wait}, and the
 * stdin reader, blocked in {@code read}. Just before {@code System.exit}, {@link #prepare()} closes stdin (which
 * wakes its reader) and parks each registered socket's I/O thread in Java, where the JVM need not wait for it.
 *
 * <p>Only {@link Main#main} calls {@link #prepare()}: in-process runs (tests, {@code selftest}) keep their threads.
 */
final class QuickExit {
  private static final long PARK_WAIT_MILLIS = 100;
  private static final List<Socket> SOCKETS = new CopyOnWriteArrayList<>();
  private static final List<Closeable> INPUTS = new CopyOnWriteArrayList<>();

  private QuickExit() {}

  /** Parks this socket's I/O thread at exit. */
  static void register(Socket socket) {
    SOCKETS.add(socket);
  }

  /** Closes this input at exit, waking a thread blocked reading it. */
  static void register(Closeable input) {
    INPUTS.add(input);
  }

  /** Readies the process for {@code System.exit}; it must not be used for anything else afterwards. */
  static void prepare() {
    for (Closeable in : INPUTS) {
      try {
        in.close();
      } catch (IOException e) {
        // exiting anyway
      }
    }
    for (Socket socket : SOCKETS) {
      parkIoThread(socket);
    }
  }

  private static void parkIoThread(Socket socket) {
    CountDownLatch parked = new CountDownLatch(1);
    // close is a remembered event: on a closed socket the listener runs at once, on the socket's I/O thread
    socket.destroy();
    socket.onClose(hadError -> {
      parked.countDown();
      while (true) {
        LockSupport.park();
      }
    });
    try {
      parked.await(PARK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
