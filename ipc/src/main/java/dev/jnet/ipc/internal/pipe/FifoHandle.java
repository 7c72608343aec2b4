package dev.jnet.ipc.internal.pipe;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One non-blocking FIFO end on a Netty loop, for the engines that watch FIFOs on their loops
 * ({@link FifoEngine#EPOLL}, {@link FifoEngine#SELECTOR}): the {@link FileDescriptor} Netty reads
 * and writes through, and the {@link IoHandle} the loop calls when the end is ready. The descriptor
 * number belongs to its {@link FifoEnd}: closing goes through it, never through Netty's {@code
 * close(2)}, and cancels the registration first. A subclass says how its loop watches the end:
 * {@link EpollFifoHandle} (edge-triggered, a fixed interest) or {@link NioFifoHandle} (the JDK's
 * selector, level-triggered, so an interest that its owner switches on only while it waits).
 *
 * <p>An end registered with one loop can be handed from one owner to the next ({@link #handOver})
 * without leaving the loop: a client's wait for the accept byte gives its read end to the
 * connection.
 *
 * <p>Threading: every method runs on the loop the end is registered with.
 */
abstract class FifoHandle extends FileDescriptor implements IoHandle {
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
     * The loop reported the end ready.
     *
     * @param hangUp the other side left (epoll's {@code EPOLLHUP} or {@code EPOLLERR}; a selector
     *     cannot tell, and reports the end ready again until it is read to its end)
     */
    void ready(boolean hangUp);

    /**
     * Registering the end failed.
     *
     * @param cause why
     */
    void registrationFailed(Throwable cause);
  }

  private final FifoEnd fifo;
  private Listener listener;
  private IoRegistration registration;
  private boolean closed;
  private boolean hungUp;

  /**
   * Wraps an end.
   *
   * @param fifo a non-blocking end
   * @param listener told whenever the end is ready
   */
  FifoHandle(FifoEnd fifo, Listener listener) {
    super(fifo.fd());
    this.fifo = fifo;
    this.listener = listener;
  }

  /**
   * Returns the end this handle watches.
   *
   * @return the end
   */
  final FifoEnd fifo() {
    return fifo;
  }

  /**
   * Starts watching, once registered: submits the first interest to the loop.
   *
   * @param r the registration
   */
  abstract void watch(IoRegistration r);

  /**
   * Says whether the owner waits for the end to be ready. An edge-triggered handle watches always
   * and ignores this; a level-triggered one watches only while it is true, so that an end that is
   * ready but not wanted (a paused reader, a writer with nothing to write, a peer that left) does
   * not wake the loop again and again.
   *
   * @param on true while the owner waits for the end
   */
  void interest(boolean on) {}

  /**
   * Tells whether an event says the other side left.
   *
   * @param event the loop's event
   * @return true for a hang-up this kind of loop can see
   */
  abstract boolean hangUp(IoEvent event);

  /**
   * The registration, once made and while not cancelled.
   *
   * @return it, or null
   */
  final IoRegistration registration() {
    return registration;
  }

  /**
   * Gives this registered end to a new owner, on the same loop: the old owner hears nothing more.
   * An edge that came before is not reported again, so the new owner must assume the end may be
   * ready, and hung up if {@link #hungUp()} says so.
   *
   * @param next the new owner
   */
  final void handOver(Listener next) {
    listener = next;
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
      watch(r);
    } catch (RuntimeException e) {
      listener.registrationFailed(e);
    }
  }

  /**
   * Tells whether {@link #close()} ran.
   *
   * @return true once closed
   */
  final boolean isClosed() {
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
  public final void handle(IoRegistration r, IoEvent event) {
    if (!closed) {
      boolean h = hangUp(event);
      hungUp |= h;
      listener.ready(h);
    }
  }

  /**
   * Tells whether an event reported so far said the other side left: an owner that takes a handle
   * over ({@link #handOver}) hears no edge for a hang-up the previous owner heard.
   *
   * @return true once a hang-up was reported
   */
  final boolean hungUp() {
    return hungUp;
  }

  /**
   * Cancels the registration and leaves the descriptor open, for another handle to take over; this
   * one is then closed for good.
   */
  final void release() {
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
  public final void close() {
    if (closed) {
      return;
    }
    release();
    fifo.close();
  }
}
