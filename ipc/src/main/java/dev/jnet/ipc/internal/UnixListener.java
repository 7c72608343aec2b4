package dev.jnet.ipc.internal;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A Unix server socket that jnet creates, binds and listens on itself, before Netty takes it over
 * (as it takes an inherited {@code fd:} listener). It is a JDK {@link ServerSocketChannel} under
 * both engines: the JDK's {@code bind} never unlinks what is at the path (Netty's native one does)
 * and listens in the same call. What jnet adds is the descriptor number before the bind, read from
 * the JDK channel's {@code fdVal} field through {@code sun.misc.Unsafe} (the JDK has no API for it)
 * and checked against {@code /proc}: on Linux, {@code chmod} on {@code /proc/self/fd/N} of an
 * unbound socket sets the mode of the socket's own inode, and {@code bind(2)} creates the file with
 * that mode (less the umask) in one step, so no file ever exists at the path with a wider mode.
 * Where that is not possible {@link #fd} is empty and {@link SafeBind} falls back to its staging
 * directory.
 *
 * <p>Handed to the epoll engine, the listening socket is duplicated (junixsocket's {@code dup}) and
 * the JDK channel closed; handed to NIO, the JDK channel itself is wrapped. Either way the Netty
 * channel never removes the file when it closes: {@link SafeBind} does, and only while the file is
 * still its own.
 *
 * <p>Used by one thread at a time.
 */
final class UnixListener {
  private static final JdkChannelFields FIELDS = JdkChannelFields.find();
  private final ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);

  /**
   * Opens an unbound socket.
   *
   * @throws IOException if it cannot be created
   */
  UnixListener() throws IOException {}

  /** Returns the descriptor number, empty where it cannot be known. */
  OptionalInt fd() {
    return FIELDS == null ? OptionalInt.empty() : FIELDS.fd(channel);
  }

  /**
   * Binds to the path and listens, or fails with {@code EADDRINUSE} if anything is there.
   *
   * @param path the path
   * @param backlog the backlog
   * @throws IOException as the JDK reports it
   */
  void bindAndListen(Path path, int backlog) throws IOException {
    channel.bind(UnixDomainSocketAddress.of(path), backlog);
  }

  /**
   * Hands the listening socket to Netty; from then on closing the Netty channel closes it.
   *
   * @param epoll whether the engine is epoll
   * @return the server channel
   * @throws IOException if the descriptor cannot be duplicated for epoll
   */
  ServerChannel toChannel(boolean epoll) throws IOException {
    if (epoll) {
      channel.configureBlocking(
          false); // O_NONBLOCK belongs to the open file, which the duplicate shares
      FileDescriptor dup =
          FileDescriptorCast.duplicating(
                  FileDescriptorCast.unsafeUsing(
                          fd().orElseThrow(
                                  () ->
                                      new IOException(
                                          "the JDK channel's descriptor number cannot be read")))
                      .getFileDescriptor())
              .getFileDescriptor();
      int fd = FIELDS.intOf(dup);
      close();
      // Wrapped by number, the channel knows no local path, so its close never deletes a file.
      return new EpollServerDomainSocketChannel(fd, true);
    }
    // jnet's own NIO server channel (it half-closes its children) never deletes a file when it
    // closes: only SafeBind
    // removes the socket file, and only while it is still its own.
    return new NioUnixServerChannel(channel);
  }

  /** Closes the socket (before {@link #toChannel}). */
  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /**
   * Sets the mode of the unbound socket's own inode, which {@code bind(2)} gives the file it
   * creates (less the umask). Checks first that the descriptor is an unbound Unix socket.
   *
   * @param mode the permission bits
   * @return true if the mode is set and reads back; false where this cannot be done (no {@code
   *     /proc})
   */
  boolean presetMode(int mode) {
    OptionalInt fd = fd();
    if (fd.isEmpty()) {
      return false;
    }
    Path proc = Path.of("/proc/self/fd/" + fd.getAsInt());
    try {
      String link = Files.readSymbolicLink(proc).toString();
      if (!link.startsWith("socket:[")
          || !UnixOwners.isUnboundStream(link.substring(8, link.length() - 1))) {
        return false;
      }
      Files.setAttribute(proc, "unix:mode", mode);
      return ((Integer) Files.getAttribute(proc, "unix:mode") & 07777) == mode;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Reads {@code fdVal} of {@code sun.nio.ch.ServerSocketChannelImpl}, through {@code
   * sun.misc.Unsafe} reached reflectively (as {@code cli}'s {@code Signals} reaches {@code
   * sun.misc.Signal}).
   */
  private record JdkChannelFields(
      Class<?> type, MethodHandle getInt, long fdVal, long fileDescriptorFd) {
    static JdkChannelFields find() {
      try {
        Class<?> unsafeType = Class.forName("sun.misc.Unsafe");
        Field f = unsafeType.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object u = f.get(null);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle offset =
            lookup.unreflect(unsafeType.getMethod("objectFieldOffset", Field.class)).bindTo(u);
        MethodHandle getInt =
            lookup.unreflect(unsafeType.getMethod("getInt", Object.class, long.class)).bindTo(u);
        Class<?> type = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
        Field fd = type.getDeclaredField("fdVal");
        if (fd.getType() != int.class) {
          return null;
        }
        return new JdkChannelFields(
            type,
            getInt,
            (long) offset.invoke(fd),
            (long) offset.invoke(FileDescriptor.class.getDeclaredField("fd")));
      } catch (Throwable e) {
        return null;
      }
    }

    OptionalInt fd(ServerSocketChannel channel) {
      try {
        return type.isInstance(channel)
            ? OptionalInt.of((int) getInt.invoke(channel, fdVal))
            : OptionalInt.empty();
      } catch (Throwable e) {
        return OptionalInt.empty();
      }
    }

    int intOf(FileDescriptor fd) throws IOException {
      try {
        return (int) getInt.invoke(fd, fileDescriptorFd);
      } catch (Throwable e) {
        throw new IOException("cannot read a descriptor's number: " + e, e);
      }
    }
  }
}
