package dev.jnet.ipc.pipe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
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
 * The epoll engine ({@link FifoEngine#EPOLL}): a connection's two FIFO descriptors, non-blocking, registered with
 * the channel's Netty epoll loop as two {@link EpollIoHandle}s, next to every socket of that loop. No thread per
 * connection.
 *
 * <p>Both ends are registered edge-triggered, once, with a fixed interest ({@code EPOLLIN} for the read end,
 * {@code EPOLLOUT} for the write end): pausing and resuming cost no {@code epoll_ctl}, and the {@code EPOLLHUP}
 * of a read end whose writer left (or the {@code EPOLLERR} of a write end whose reader left) is reported once
 * instead of on every wake-up while nobody reads. In exchange an end remembers what an edge told it: the read end
 * is ready from an event until a read comes back short or with {@code EAGAIN} (a short read empties a FIFO), or,
 * once an event carried {@code EPOLLHUP}, until it reads EOF; a read requested while it is ready runs from a loop
 * task instead of waiting for an edge that already came.
 *
 * <ul>
 *   <li>Reading follows Netty's {@code read()} contract with the channel's {@link RecvByteBufAllocator}: a read
 *       request reads once; under auto-read the loop reads on, up to the allocator's messages per read, then
 *       yields to other channels and continues from a task. {@code read(2)} returning 0 is EOF.
 *   <li>Writing hands the kernel as much of the flushed buffers as it takes (one {@code write(2)} or {@code
 *       writev(2)} of up to 1 MiB at a time, up to the write spin count); at {@code EAGAIN} the end waits for the next {@code
 *       EPOLLOUT} edge, which comes when the reader drains the full FIFO. A write therefore completes (its promise
 *       succeeds) once the kernel took every byte, as on a socket. {@code EPIPE} (the reader left) fails the write
 *       like a socket write to a closed peer.
 *   <li>Closing an end cancels its registration first and then closes the descriptor, so a descriptor number the
 *       kernel hands out again is never removed from epoll by mistake.
 * </ul>
 *
 * <p>Note on Netty 4.2's {@link IoRegistration#submit}: the first non-empty interest adds the descriptor to epoll,
 * {@link EpollIoOps#NONE} removes it, and a later non-empty interest modifies a descriptor that is no longer
 * there; this class therefore submits exactly once per end.
 *
 * <p>Threading: everything runs on the channel's event loop (a {@link FifoIo} requirement).
 */
final class EpollFifoIo implements FifoIo {
  private static final EpollIoOps READ_OPS = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET);
  private static final EpollIoOps WRITE_OPS = EpollIoOps.EPOLLOUT.with(EpollIoOps.EPOLLET);
  private static final long MAX_WRITE = 1024 * 1024;
  /** Linux's {@code EPOLLHUP}, which epoll always reports and Netty's {@link EpollIoOps} does not name. */
  private static final int EPOLLHUP = 0x010;
  /** One iovec array per loop thread, as Netty's own epoll channels share their handler's. */
  private static final FastThreadLocal<IovArray> IOV = new FastThreadLocal<>() {
    @Override
    protected IovArray initialValue() {
      return new IovArray();
    }

    @Override
    protected void onRemoval(IovArray iov) {
      iov.release();
    }
  };

  private final FifoPipeChannel ch;
  private final End in;
  private final End out;
  private final Runnable readTask = this::readFromTask;
  private final Runnable flushTask = this::flushFromTask;
  private boolean readRequested;
  private boolean readScheduled;
  private boolean flushScheduled;
  private boolean outBlocked;
  private boolean writing;

  EpollFifoIo(FifoPipeChannel ch, FifoEnd in, FifoEnd out) {
    this.ch = ch;
    this.in = new End(in, READ_OPS);
    this.out = new End(out, WRITE_OPS);
  }

  @Override
  public void start() {
    in.register();
    out.register();
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void beginRead() {
    readRequested = true;
    if (in.ready) {
      scheduleRead();
    }
  }

  @Override
  public void readCancelled() {
    readRequested = false;
  }

  private void scheduleRead() {
    if (!readScheduled) {
      readScheduled = true;
      ch.eventLoop().execute(readTask);
    }
  }

  private void readFromTask() {
    readScheduled = false;
    if (readRequested && in.ready) {
      read();
    }
  }

  private void readable(EpollIoOps ops) {
    in.ready = true;
    if ((ops.value() & (EPOLLHUP | EpollIoOps.EPOLLERR.value())) != 0) {
      in.hangUp = true;
    }
    if (readRequested) {
      read();
    }
  }

  private void read() {
    if (!ch.isOpen() || ch.isInputShutdown() || in.closed) {
      return;
    }
    RecvByteBufAllocator.Handle h = ch.unsafe().recvBufAllocHandle();
    h.reset(ch.config());
    ByteBufAllocator alloc = ch.config().getAllocator();
    boolean eof = false;
    IOException failure = null;
    do {
      ByteBuf buf = h.allocate(alloc);
      h.attemptedBytesRead(buf.writableBytes());
      int n;
      try {
        n = in.read(buf);
      } catch (IOException e) {
        buf.release();
        failure = e;
        break;
      }
      if (n <= 0) {
        buf.release();
        in.ready = false;
        eof = n < 0;
        break;
      }
      buf.writerIndex(buf.writerIndex() + n);
      h.lastBytesRead(n);
      h.incMessagesRead(1);
      if (n < h.attemptedBytesRead() && !in.hangUp) {
        // a FIFO read stops short only when it emptied the FIFO: the next write is an edge, and so is the
        // writer's close; a close reported already (EPOLLHUP) gives no further edge, so read on to the EOF
        in.ready = false;
      }
      readRequested = false;
      ch.pipeline().fireChannelRead(buf);
    } while (in.ready && h.continueReading() && ch.isOpen() && !ch.isInputShutdown());
    h.readComplete();
    ch.pipeline().fireChannelReadComplete();
    if (eof) {
      ch.eof();
    } else if (failure != null) {
      ch.readFailed(failure);
    } else if (in.ready && ch.config().isAutoRead()) {
      readRequested = true; // stopped at the allocator's limit with more to read: go on after other channels
      scheduleRead();
    }
  }

  // ---------------------------------------------------------------- writing

  @Override
  public void write(ChannelOutboundBuffer buf) throws Exception {
    if (outBlocked || out.closed) {
      return; // the next EPOLLOUT edge flushes again
    }
    writing = true;
    for (int spin = ch.config().getWriteSpinCount(); spin > 0; spin--) {
      buf.removeBytes(0); // drops empty buffers at the head
      if (buf.isEmpty()) {
        writing = false;
        ch.writeSettled();
        return;
      }
      long n = buf.size() == 1 ? out.write((ByteBuf) buf.current()) : out.writeFlushed(buf);
      if (n == 0) {
        outBlocked = true; // EAGAIN: the FIFO is full
        return;
      }
      buf.removeBytes(n);
    }
    if (!flushScheduled) {
      flushScheduled = true; // spun enough: let the loop's other channels run, then go on
      ch.eventLoop().execute(flushTask);
    }
  }

  private void flushFromTask() {
    flushScheduled = false;
    ch.flushAgain();
  }

  private void writable() {
    if (outBlocked) {
      outBlocked = false;
      ch.flushAgain();
    }
  }

  @Override
  public boolean isWriting() {
    return writing;
  }

  // ---------------------------------------------------------------- closing

  @Override
  public void closeInput() {
    readRequested = false;
    in.close();
  }

  @Override
  public void closeOutput() {
    writing = false;
    outBlocked = false;
    out.close();
  }

  @Override
  public void close() {
    closeInput();
    closeOutput();
  }

  /**
   * One FIFO end as Netty sees it: a {@link FileDescriptor} (whose number the {@link FifoEnd} owns: closing goes
   * through the JDK stream, never through Netty's {@code close(2)}) and the {@link EpollIoHandle} the loop calls.
   */
  private final class End extends FileDescriptor implements EpollIoHandle {
    private final FifoEnd fifo;
    private final EpollIoOps ops;
    private IoRegistration registration;
    boolean closed;
    /** Read end: an edge came and no read since came back short. */
    boolean ready;
    /** Read end: epoll reported that the writer left (what is left to read ends with EOF). */
    boolean hangUp;

    End(FifoEnd fifo, EpollIoOps ops) {
      super(fifo.fd());
      this.fifo = fifo;
      this.ops = ops;
    }

    void register() {
      if (closed) {
        return;
      }
      Future<IoRegistration> f = ((IoEventLoop) ch.eventLoop()).register(this);
      if (f.isDone()) {
        registered(f);
      } else {
        f.addListener(x -> registered(f));
      }
    }

    private void registered(Future<IoRegistration> f) {
      if (!f.isSuccess()) {
        if (!closed) {
          ch.pipeline().fireExceptionCaught(f.cause());
          ch.close();
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
        r.submit(ops); // epoll_ctl(ADD): an end that is ready already reports an edge at once
      } catch (RuntimeException e) {
        ch.pipeline().fireExceptionCaught(e);
        ch.close();
      }
    }

    int read(ByteBuf b) throws IOException {
      int w = b.writerIndex();
      if (b.hasMemoryAddress()) {
        return readAddress(b.memoryAddress(), w, b.capacity());
      }
      ByteBuffer nb = b.internalNioBuffer(w, b.writableBytes());
      return read(nb, nb.position(), nb.limit());
    }

    /**
     * Writes one buffer from its reader index. (Not through {@link ChannelOutboundBuffer#nioBuffers()}: those
     * cached views expect a write to advance their position, as the JDK's channels do, and Netty's native writes
     * do not; a partial write would then send its bytes twice.)
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

    /** Writes the flushed buffers with one {@code writev(2)}, each from its reader index. */
    long writeFlushed(ChannelOutboundBuffer buf) throws Exception {
      IovArray iov = IOV.get();
      iov.clear();
      iov.maxBytes(MAX_WRITE);
      buf.forEachFlushedMessage(iov);
      return iov.count() == 0 ? 0 : writevAddresses(iov.memoryAddress(0), iov.count());
    }

    @Override
    public FileDescriptor fd() {
      return this;
    }

    @Override
    public void handle(IoRegistration r, IoEvent event) {
      if (closed) {
        return;
      }
      if (this == in) {
        readable(((EpollIoEvent) event).ops());
      } else {
        writable();
      }
    }

    /** Cancels the registration, then closes the descriptor; idempotent. Also Netty's call at loop shutdown. */
    @Override
    public void close() {
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
      fifo.close();
    }
  }
}
