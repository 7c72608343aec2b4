package dev.jnet.ipc.internal.pipe;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The two FIFO calls Java 17 lacks, {@code mknod(2)} and an {@code open(2)} with {@code
 * O_NONBLOCK}, taken from the JDK's own file-system dispatcher ({@code
 * sun.nio.fs.UnixNativeDispatcher}, the natives behind {@code java.nio.file} on every JDK from 17
 * to 25). That class is internal: it is reached only when {@code java.base/sun.nio.fs} is opened to
 * jnet ({@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} on the class path, {@code
 * =dev.jnet.ipc} on the module path; the {@code jnet} jar's manifest opens it). Without it, or on a
 * system other than Linux, or with {@code -Djnet.pipe.native=false}, {@link #available()} is false
 * and {@code pipe:} makes its FIFOs with {@code mkfifo(1)} and opens them on threads, as before.
 *
 * <p>What it buys: a FIFO pair costs two system calls instead of a share of a process, and the
 * epoll engine opens a connection's ends without a thread (a non-blocking read end opens at once; a
 * non-blocking write end opens at once when the reader is there, else fails with {@code ENXIO}).
 *
 * <p>Stateless; every method may be called from any thread, the event loop included (none blocks).
 */
final class NativeFifo {
  /** Linux's {@code O_NONBLOCK} (the same on x86, arm and arm64). */
  private static final int O_NONBLOCK = 04000;

  /** Linux's {@code O_CLOEXEC} (the same on x86, arm and arm64). */
  private static final int O_CLOEXEC = 02000000;

  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;
  private static final int O_RDWR = 2;
  private static final int S_IFIFO = 0010000;
  private static final int ENXIO = 6;

  private static final Calls CALLS = Calls.find();

  private NativeFifo() {}

  /** The dispatcher's methods, found once. */
  private record Calls(Method open, Method mknod, Method close, Method errno, int noFollow) {
    static Calls find() {
      if (!"false".equals(System.getProperty("jnet.pipe.native"))
          && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
        try {
          Class<?> d = Class.forName("sun.nio.fs.UnixNativeDispatcher");
          Class<?> path = Class.forName("sun.nio.fs.UnixPath");
          Method open = d.getDeclaredMethod("open", path, int.class, int.class);
          Method mknod = d.getDeclaredMethod("mknod", path, int.class, long.class);
          Method close = d.getDeclaredMethod("close", int.class);
          Method errno = Class.forName("sun.nio.fs.UnixException").getDeclaredMethod("errno");
          Field noFollow = Class.forName("sun.nio.fs.UnixConstants").getDeclaredField("O_NOFOLLOW");
          for (java.lang.reflect.AccessibleObject o :
              new java.lang.reflect.AccessibleObject[] {open, mknod, close, errno, noFollow}) {
            o.setAccessible(true); // throws unless java.base/sun.nio.fs is opened to jnet
          }
          return new Calls(open, mknod, close, errno, noFollow.getInt(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          // not opened, or another JDK: the portable way
        }
      }
      return null;
    }
  }

  /**
   * Tells whether the calls are reachable here.
   *
   * @return true on Linux when {@code java.base/sun.nio.fs} is opened to jnet and {@code
   *     jnet.pipe.native} is not {@code false}
   */
  static boolean available() {
    return CALLS != null;
  }

  /**
   * Creates a FIFO with mode 0600 (less the process's umask), never through a link.
   *
   * @param p where
   * @throws IOException {@link FileAlreadyExistsException}, {@link NoSuchFileException} (the
   *     directory is gone), or the call's error
   */
  static void make(Path p) throws IOException {
    call(CALLS.mknod(), p, p, S_IFIFO | 0600, 0L);
  }

  /**
   * Opens a FIFO end without blocking and without following a link.
   *
   * @param p the FIFO
   * @param write the write end, else the read end
   * @return the descriptor, or -1 for a write end that has no reader yet ({@code ENXIO})
   * @throws IOException {@link NoSuchFileException} if it is gone, or the call's error
   */
  static int open(Path p, boolean write) throws IOException {
    return open(p, (write ? O_WRONLY : O_RDONLY) | O_NONBLOCK, write);
  }

  /**
   * Opens a FIFO end in blocking mode, without following a link: blocks until the other end is
   * opened (an opener thread's call; {@link OpenWatchdog} releases it). The descriptor is left
   * blocking; whoever takes it over sets {@code O_NONBLOCK}.
   *
   * @param p the FIFO
   * @param write the write end, else the read end
   * @return the descriptor
   * @throws IOException {@link NoSuchFileException} if it is gone, or the call's error
   */
  static int openBlocking(Path p, boolean write) throws IOException {
    return open(p, write ? O_WRONLY : O_RDONLY, false);
  }

  /**
   * Opens a FIFO read-write and non-blocking, without following a link: a server's well-known FIFO,
   * which then never reads EOF. Never blocks on Linux.
   *
   * @param p the FIFO
   * @return the descriptor
   * @throws IOException {@link NoSuchFileException} if it is gone, or the call's error
   */
  static int openReadWrite(Path p) throws IOException {
    return open(p, O_RDWR | O_NONBLOCK, false);
  }

  private static int open(Path p, int mode, boolean noReaderIsMinusOne) throws IOException {
    int flags = mode | O_CLOEXEC | CALLS.noFollow();
    try {
      return (Integer) CALLS.open().invoke(null, p, flags, 0);
    } catch (InvocationTargetException e) {
      if (noReaderIsMinusOne && errno(e.getCause()) == ENXIO) {
        return -1;
      }
      throw failure(e.getCause(), p);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException("open " + p + ": " + e, e);
    }
  }

  /**
   * Closes a descriptor this class opened.
   *
   * @param fd the descriptor
   */
  static void close(int fd) {
    try {
      CALLS.close().invoke(null, fd);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // closing: nothing to report (the kernel closes it even when close(2) reports an error)
    }
  }

  private static void call(Method m, Path p, Object... args) throws IOException {
    try {
      m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw failure(e.getCause(), p);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException(m.getName() + " " + p + ": " + e, e);
    }
  }

  private static int errno(Throwable unixException) {
    try {
      return (Integer) CALLS.errno().invoke(unixException);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /** The JDK's own translation of a {@code UnixException}, as {@code java.nio.file} reports it. */
  private static IOException failure(Throwable unixException, Path p) {
    int errno = errno(unixException);
    String why = unixException.getMessage();
    return switch (errno) {
      case 2 -> new NoSuchFileException(p.toString(), null, why); // ENOENT
      case 17 -> new FileAlreadyExistsException(p.toString(), null, why); // EEXIST
      default -> new IOException(p + ": " + why);
    };
  }
}
