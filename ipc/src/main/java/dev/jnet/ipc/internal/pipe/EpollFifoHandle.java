package dev.jnet.ipc.internal.pipe;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One non-blocking FIFO end on a Netty epoll loop: the {@link FileDescriptor} Netty reads and
 * writes through, and the {@link EpollIoHandle} the loop calls when epoll reports the end. The
 * descriptor number belongs to its {@link FifoEnd}: closing goes through the JDK stream, never
 * through Netty's {@code close(2)}, and cancels the registration first, so that a number the kernel
 * hands out again is never removed from epoll by mistake.
 *
 * <p>An end is registered edge-triggered, once, with a fixed interest. (In Netty 4.2 the first
 * non-empty {@link IoRegistration#submit} adds the descriptor to epoll, {@link EpollIoOps#NONE}
 * removes it, and a later non-empty interest modifies a descriptor that is no longer there; one
 * submit per end avoids that trap and costs no {@code epoll_ctl} per pause or resume.)
 *
 * <p>Threading: every method runs on the loop the end is registered with.
 */
final class EpollFifoHandle extends FileDescriptor implements EpollIoHandle {
  /**
   * Linux's {@code EPOLLHUP}, which epoll always reports and Netty's {@link EpollIoOps} does not
   * name.
   */
  static final int EPOLLHUP = 0x010;

  /** One iovec array per loop thread, as Netty's own epoll channels share their handler's. */
  private static final FastThreadLocal<IovArray> IOV =
      new FastThreadLocal<>() {
        @Override
        protected IovArray initialValue() {
          return new IovArray();
        }

        @Override
        protected void onRemoval(IovArray iov) {
          iov.release();
        }
      };

  /** What the end's owner hears, on the loop. */
  interface Listener {
    /**
     * Epoll reported the end (an edge).
     *
     * @param ops what epoll reported, {@code EPOLLHUP} and {@code EPOLLERR} included
     */
    void ready(EpollIoOps ops);

    /**
     * Registering the end failed.
     *
     * @param cause why
     */
    void registrationFailed(Throwable cause);
  }

  private final FifoEnd fifo;
  private final EpollIoOps ops;
  private final Listener listener;
  private IoRegistration registration;
  private boolean closed;

  /**
   * Wraps an end.
   *
   * @param fifo a non-blocking end
   * @param ops the interest, edge-triggered
   * @param listener told of every edge
   */
  EpollFifoHandle(FifoEnd fifo, EpollIoOps ops, Listener listener) {
    super(fifo.fd());
    this.fifo = fifo;
    this.ops = ops;
    this.listener = listener;
  }

  /**
   * Registers with a loop; an end that is ready already reports an edge at once.
   *
   * @param loop the loop this is called on
   */
  void register(IoEventLoop loop) {
    if (closed) {
      return;
    }
    Future<IoRegistration> f = loop.register(this);
    if (f.isDone()) {
      registered(f);
    } else {
      f.addListener(x -> registered(f));
    }
  }

  private void registered(Future<IoRegistration> f) {
    if (!f.isSuccess()) {
      if (!closed) {
        listener.registrationFailed(f.cause());
      }
      return;
    }
    IoRegistration r = f.getNow();
    if (closed) {
      r.cancel();
      return;
    }
    registration = r;
    try {
      r.submit(ops); // epoll_ctl(ADD)
    } catch (RuntimeException e) {
      listener.registrationFailed(e);
    }
  }

  /**
   * Tells whether {@link #close()} ran.
   *
   * @return true once closed
   */
  boolean isClosed() {
    return closed;
  }

  /**
   * Reads into a buffer's writable bytes.
   *
   * @param b a direct buffer
   * @return bytes read, 0 for {@code EAGAIN}, -1 for EOF
   * @throws IOException on failure
   */
  int read(ByteBuf b) throws IOException {
    int w = b.writerIndex();
    if (b.hasMemoryAddress()) {
      return readAddress(b.memoryAddress(), w, b.capacity());
    }
    ByteBuffer nb = b.internalNioBuffer(w, b.writableBytes());
    return read(nb, nb.position(), nb.limit());
  }

  /**
   * Writes one buffer from its reader index. (Not through {@link
   * ChannelOutboundBuffer#nioBuffers()}: those cached views expect a write to advance their
   * position, as the JDK's channels do, and Netty's native writes do not; a partial write would
   * then send its bytes twice.)
   *
   * @param b a direct buffer
   * @return bytes written, 0 for {@code EAGAIN}
   * @throws IOException on failure ({@code EPIPE} once the reader left)
   */
  int write(ByteBuf b) throws IOException {
    int r = b.readerIndex();
    if (b.hasMemoryAddress()) {
      return writeAddress(b.memoryAddress(), r, b.writerIndex());
    }
    if (b.nioBufferCount() == 1) {
      ByteBuffer nb = b.internalNioBuffer(r, b.readableBytes());
      return write(nb, nb.position(), nb.limit());
    }
    IovArray iov = IOV.get();
    iov.clear();
    iov.add(b, r, b.readableBytes());
    return (int) writevAddresses(iov.memoryAddress(0), iov.count());
  }

  /**
   * Writes the flushed buffers with one {@code writev(2)}, each from its reader index.
   *
   * @param buf the outbound buffer, of direct buffers
   * @param maxBytes at most this many bytes
   * @return bytes written, 0 for {@code EAGAIN}
   * @throws Exception on failure
   */
  long writeFlushed(ChannelOutboundBuffer buf, long maxBytes) throws Exception {
    IovArray iov = IOV.get();
    iov.clear();
    iov.maxBytes(maxBytes);
    buf.forEachFlushedMessage(iov);
    return iov.count() == 0 ? 0 : writevAddresses(iov.memoryAddress(0), iov.count());
  }

  @Override
  public FileDescriptor fd() {
    return this;
  }

  @Override
  public void handle(IoRegistration r, IoEvent event) {
    if (!closed) {
      listener.ready(((EpollIoEvent) event).ops());
    }
  }

  /**
   * Cancels the registration and leaves the descriptor open, for another handle to take over; this
   * one is then closed for good.
   */
  void release() {
    if (closed) {
      return;
    }
    closed = true;
    IoRegistration r = registration;
    registration = null;
    if (r != null) {
      r.cancel();
    }
    markClosed();
  }

  /**
   * Cancels the registration, then closes the descriptor; idempotent, and nothing after {@link
   * #release()}. Also Netty's call at loop shutdown.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    release();
    fifo.close();
  }
}
