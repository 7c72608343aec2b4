package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.spi.ServerChannels;
import io.netty.channel.unix.UnixChannel;
import java.io.Closeable;
import java.io.File;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A Unix stream connection that carries open file descriptors alongside its bytes ({@code
 * SCM_RIGHTS}): files, pipes, sockets, a server's listening socket. It is a blocking side channel,
 * meant for control messages between cooperating processes (a handover, a privileged helper passing
 * opened files), not for bulk data: it runs on the calling thread, outside jnet's I/O loop, over
 * junixsocket. Descriptors arrive as new numbers in the receiving process, referring to the same
 * open files.
 *
 * <pre>{@code
 * try (DescriptorChannel c = DescriptorChannel.connect(new Endpoint.Unix("/run/app/ctl.sock", false))) {
 *   c.send(ByteBuffer.wrap("log".getBytes()), new FileOutputStream("/var/log/app.log", true).getFD());
 * }
 * }</pre>
 *
 * <p>Threading: a connection is used by one thread at a time (each call blocks, bounded by its
 * timeout); the static methods may be called from any thread.
 */
public final class DescriptorChannel implements Closeable {
  /** Descriptors accepted in one message at most. */
  public static final int MAX_DESCRIPTORS = 16;

  private final AFUNIXSocketChannel channel;

  private DescriptorChannel(AFUNIXSocketChannel channel) throws IOException {
    this.channel = channel;
    channel.setAncillaryReceiveBufferSize(MAX_DESCRIPTORS * 4 + 64);
  }

  /**
   * What one {@link #receive} read: bytes, and the descriptors that came with them.
   *
   * @param data the bytes
   * @param descriptors the descriptors, now open in this process (close them when done)
   */
  public record Received(byte[] data, List<FileDescriptor> descriptors) {}

  /**
   * Connects to a Unix socket.
   *
   * @param endpoint a path or abstract name
   * @return the connection
   * @throws IOException if the connection fails
   */
  public static DescriptorChannel connect(Endpoint.Unix endpoint) throws IOException {
    AFUNIXSocketChannel ch = AFUNIXSocketChannel.open();
    try {
      ch.connect(address(endpoint));
      return new DescriptorChannel(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Listens on a Unix socket and accepts one connection.
   *
   * @param endpoint a path (which must not exist yet; it is removed once accepted) or an abstract
   *     name
   * @param timeout how long to wait for the connection
   * @return the accepted connection
   * @throws IOException if binding fails or nobody connects in time
   */
  public static DescriptorChannel acceptOne(Endpoint.Unix endpoint, Duration timeout)
      throws IOException {
    try (AFUNIXServerSocketChannel server = AFUNIXServerSocketChannel.open()) {
      server.bind(address(endpoint), 1);
      try {
        server.socket().setSoTimeout(millis(timeout));
        return new DescriptorChannel(server.accept());
      } finally {
        if (!endpoint.isAbstract()) {
          new File(endpoint.path()).delete();
        }
      }
    }
  }

  /**
   * Sends bytes (at least one; the descriptors travel with the first) and descriptors.
   *
   * @param data the bytes, not empty
   * @param descriptors the descriptors to pass, at most {@link #MAX_DESCRIPTORS}
   * @throws IOException if sending fails
   */
  public void send(ByteBuffer data, FileDescriptor... descriptors) throws IOException {
    if (!data.hasRemaining()) {
      throw new IllegalArgumentException("descriptors travel with data: send at least one byte");
    }
    if (descriptors.length > MAX_DESCRIPTORS) {
      throw new IllegalArgumentException("at most " + MAX_DESCRIPTORS + " descriptors per message");
    }
    channel.setOutboundFileDescriptors(descriptors.length == 0 ? null : descriptors);
    try {
      while (data.hasRemaining()) {
        channel.write(data);
        channel.setOutboundFileDescriptors((FileDescriptor[]) null);
      }
    } finally {
      channel.setOutboundFileDescriptors((FileDescriptor[]) null);
    }
  }

  /**
   * Reads what is there (up to {@code maxBytes}) and the descriptors that came with it.
   *
   * @param maxBytes the most bytes to read
   * @param timeout how long to wait for something to arrive
   * @return the bytes (empty at end of stream) and descriptors
   * @throws IOException on failure or timeout
   */
  public Received receive(int maxBytes, Duration timeout) throws IOException {
    channel.socket().setSoTimeout(millis(timeout));
    ByteBuffer buf = ByteBuffer.allocate(maxBytes);
    int n = channel.read(buf);
    FileDescriptor[] fds = channel.getReceivedFileDescriptors();
    channel.clearReceivedFileDescriptors();
    List<FileDescriptor> own = new ArrayList<>();
    for (FileDescriptor fd : fds == null ? new FileDescriptor[0] : fds) {
      // junixsocket closes the descriptors it received when its channel closes: keep duplicates it
      // does not track.
      own.add(FileDescriptorCast.duplicating(fd).getFileDescriptor());
    }
    return new Received(Arrays.copyOf(buf.array(), Math.max(0, n)), List.copyOf(own));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Returns the listening socket of a jnet server (epoll engine only), to pass to another process.
   * The server keeps owning it: closing the server closes this process's copy.
   *
   * @param server a listening server
   * @return its listening socket
   * @throws NetException {@code ENOTSUP} under the NIO engine or for a server that does not listen
   */
  public static FileDescriptor listenerOf(Server server) throws NetException {
    if (ServerChannels.listening(server).orElse(null) instanceof UnixChannel u && u.fd().isOpen()) {
      return descriptor(u.fd().intValue());
    }
    throw NetException.withMessage(
        ErrorCode.ENOTSUP,
        "listen",
        String.valueOf(server.address().orElse(null)),
        "ENOTSUP: only a listening server on the epoll engine can pass its socket on");
  }

  /**
   * Returns a descriptor object for a number open in this process.
   *
   * @param fd the number
   * @return the descriptor
   * @throws NetException {@code EBADF} if it cannot be wrapped
   */
  public static FileDescriptor descriptor(int fd) throws NetException {
    try {
      return FileDescriptorCast.unsafeUsing(fd).getFileDescriptor();
    } catch (IOException e) {
      throw NetException.withMessage(
          ErrorCode.EBADF, "fd", "fd:" + fd, "EBADF fd:" + fd + " " + e.getMessage());
    }
  }

  /**
   * Returns the number of a descriptor, such as one received, to use as {@code fd:N}.
   *
   * @param descriptor the descriptor
   * @return its number
   * @throws NetException {@code EBADF} if it is not valid
   */
  public static int number(FileDescriptor descriptor) throws NetException {
    try {
      return FileDescriptorCast.using(descriptor).as(Integer.class);
    } catch (IOException e) {
      throw NetException.withMessage(ErrorCode.EBADF, "fd", "", "EBADF " + e.getMessage());
    }
  }

  private static AFUNIXSocketAddress address(Endpoint.Unix endpoint) throws IOException {
    return endpoint.isAbstract()
        ? AFUNIXSocketAddress.inAbstractNamespace(endpoint.path())
        : AFUNIXSocketAddress.of(new File(endpoint.path()));
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }
}
