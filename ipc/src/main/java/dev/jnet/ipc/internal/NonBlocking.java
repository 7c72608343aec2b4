package dev.jnet.ipc.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Sets {@code O_NONBLOCK} on a descriptor's open file description, which Java 17 cannot do for a
 * file or a socket it did not open itself, through junixsocket's native {@code fcntl} wrapper
 * ({@code NativeUnixSocket.configureBlocking}, reached by reflection: junixsocket has no public way
 * to flag a descriptor without wrapping it in one of its channels, and such a channel shuts a
 * socket down when it is closed or collected). Used by {@code fd:} endpoints and by the FIFO ends
 * of {@code pipe:}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class NonBlocking {
  private static final Method CONFIGURE_BLOCKING = find();

  private NonBlocking() {}

  /**
   * Tells whether descriptors can be flagged here: junixsocket's native library is loaded and its
   * wrapper found.
   *
   * @return true if {@link #set} can work
   */
  public static boolean supported() {
    try {
      return CONFIGURE_BLOCKING != null && org.newsclub.net.unix.AFUNIXSocket.isSupported();
    } catch (LinkageError e) {
      return false;
    }
  }

  /**
   * Sets {@code O_NONBLOCK} on the open file description behind {@code fd} (shared with every other
   * holder of it).
   *
   * @param fd the descriptor
   * @throws IOException if {@code fcntl} fails (its error), or junixsocket's wrapper is not
   *     available
   */
  public static void set(FileDescriptor fd) throws IOException {
    if (CONFIGURE_BLOCKING == null) {
      throw new IOException(
          "cannot set O_NONBLOCK: junixsocket's native fcntl wrapper is not available");
    }
    try {
      CONFIGURE_BLOCKING.invoke(null, fd, false);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException("fcntl(O_NONBLOCK) failed", e.getCause());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new IOException(
          "cannot set O_NONBLOCK (junixsocket's native library is needed): " + e, e);
    }
  }

  private static Method find() {
    try {
      Method m =
          Class.forName("org.newsclub.net.unix.NativeUnixSocket")
              .getDeclaredMethod("configureBlocking", FileDescriptor.class, boolean.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
