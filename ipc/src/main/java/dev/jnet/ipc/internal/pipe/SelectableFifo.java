package dev.jnet.ipc.internal.pipe;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.SelectableChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Makes a FIFO descriptor selectable by the JDK's own selector, so that the NIO engine's loops
 * watch a {@code pipe:} connection's FIFOs next to their sockets ({@link FifoEngine#SELECTOR}). The
 * JDK's {@link java.nio.channels.Pipe} channels are exactly that for the descriptors of {@code
 * pipe(2)}, which are the same kind of file as a FIFO's; their classes ({@code
 * sun.nio.ch.SourceChannelImpl} and {@code SinkChannelImpl}, the same on JDK 17 to 25) take any
 * descriptor, but only from inside {@code java.base}. They are reached when {@code
 * java.base/sun.nio.ch} is opened to jnet ({@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} on
 * the class path; the {@code jnet} jar's manifest opens it), and only where {@link NativeFifo} is
 * available, which opens the descriptors. Reads and writes go through Netty's native {@code
 * read(2)} and {@code writev(2)} (the epoll transport's library, loaded for this), as under the
 * epoll engine; the channel is the descriptor's owner, so that closing it while a selector still
 * holds it is deferred by the JDK until the selector let go, and a number the kernel hands out
 * again is never confused with it.
 *
 * <p>Thread-safe: immutable after class initialisation.
 */
final class SelectableFifo {
  private static final Makers MAKERS = Makers.find();

  private SelectableFifo() {}

  /** The JDK's constructors, found once. */
  private record Makers(Constructor<?> source, Constructor<?> sink, Method newFd) {
    static Makers find() {
      if (!NativeFifo.available()) {
        return null;
      }
      try {
        if (!io.netty.channel.epoll.Epoll.isAvailable()) {
          return null; // Netty's native read(2) and writev(2) are in that library
        }
        Class<?> source = Class.forName("sun.nio.ch.SourceChannelImpl");
        Class<?> sink = Class.forName("sun.nio.ch.SinkChannelImpl");
        Constructor<?> so =
            source.getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
        Constructor<?> si =
            sink.getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
        Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
        so.setAccessible(true); // throws unless java.base/sun.nio.ch is opened to jnet
        si.setAccessible(true);
        newFd.setAccessible(true);
        return new Makers(so, si, newFd);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null; // not opened, another JDK, or no native library: the thread engine
      }
    }
  }

  /**
   * Tells whether FIFO descriptors can be made selectable here.
   *
   * @return true on Linux when {@link NativeFifo} is available, {@code java.base/sun.nio.ch} is
   *     opened to jnet, and Netty's epoll library loads
   */
  static boolean available() {
    return MAKERS != null;
  }

  /**
   * Makes a descriptor a non-blocking selectable channel, which owns it from then on; on failure
   * the descriptor is closed.
   *
   * @param fd a FIFO descriptor nobody else owns
   * @param write a write end ({@code OP_WRITE}), else a read end ({@code OP_READ})
   * @return the channel, non-blocking
   * @throws IOException if the channel cannot be made
   */
  static SelectableChannel wrap(int fd, boolean write) throws IOException {
    SelectableChannel c;
    try {
      FileDescriptor d = (FileDescriptor) MAKERS.newFd().invoke(null, fd);
      c =
          (SelectableChannel)
              (write ? MAKERS.sink() : MAKERS.source()).newInstance(SelectorProvider.provider(), d);
    } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
      NativeFifo.close(fd);
      throw new IOException("cannot make a FIFO selectable: " + e, e);
    }
    try {
      c.configureBlocking(false);
    } catch (IOException | RuntimeException e) {
      Fifos.close(c);
      throw e;
    }
    return c;
  }
}
