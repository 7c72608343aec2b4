package dev.jnet.ipc.internal.pipe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.IoEventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollIoOps;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The epoll engine ({@link FifoEngine#EPOLL}): a connection's two FIFO descriptors, non-blocking,
 * registered with the channel's Netty epoll loop as two {@link EpollFifoHandle}s, next to every
 * socket of that loop. No thread per connection.
 *
 * <p>Both ends are edge-triggered with a fixed interest ({@code EPOLLIN} for the read end, {@code
 * EPOLLOUT} for the write end): pausing and resuming cost no {@code epoll_ctl}, and the {@code
 * EPOLLHUP} of a read end whose writer left (or the {@code EPOLLERR} of a write end whose reader
 * left) is reported once instead of on every wake-up while nobody reads. In exchange the engine
 * remembers what an edge told it: the read end is ready from an event until a read comes back short
 * or with {@code EAGAIN} (a short read empties a FIFO), or, once an event carried {@code EPOLLHUP},
 * until it reads EOF; a read requested while it is ready runs from a loop task instead of waiting
 * for an edge that already came.
 *
 * <ul>
 *   <li>Reading follows Netty's {@code read()} contract with the channel's {@link
 *       RecvByteBufAllocator}: a read request reads once; under auto-read the loop reads on, up to
 *       the allocator's messages per read, then yields to other channels and continues from a task.
 *       {@code read(2)} returning 0 is EOF.
 *   <li>Writing hands the kernel as much of the flushed buffers as it takes (one {@code write(2)}
 *       or {@code writev(2)} of up to 1 MiB at a time, up to the write spin count); at {@code
 *       EAGAIN} the end waits for the next {@code EPOLLOUT} edge, which comes when the reader
 *       drains the full FIFO. A write therefore completes (its promise succeeds) once the kernel
 *       took every byte, as on a socket. {@code EPIPE} (the reader left) fails the write like a
 *       socket write to a closed peer.
 * </ul>
 *
 * <p>Threading: everything runs on the channel's event loop (a {@link FifoIo} requirement).
 */
final class EpollFifoIo implements FifoIo {
  private static final EpollIoOps READ_OPS = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET);
  private static final EpollIoOps WRITE_OPS = EpollIoOps.EPOLLOUT.with(EpollIoOps.EPOLLET);
  private static final long MAX_WRITE = 1024 * 1024;

  private final FifoPipeChannel ch;
  private final EpollFifoHandle in;
  private final EpollFifoHandle out;
  private final Runnable readTask = this::readFromTask;
  private final Runnable flushTask = this::flushFromTask;
  private boolean readRequested;
  private boolean readScheduled;
  private boolean flushScheduled;
  private boolean outBlocked;
  private boolean writing;

  /** Read end: an edge came and no read since came back short. */
  private boolean inReady;

  /** Read end: epoll reported that the writer left (what is left to read ends with EOF). */
  private boolean inHangUp;

  /** A byte the accept read before this engine took the read end over, or -1. */
  private int first;

  EpollFifoIo(FifoPipeChannel ch, FifoEnd in, FifoEnd out) {
    this.ch = ch;
    this.first = in.takeUnread();
    this.inReady = first >= 0;
    this.in = new EpollFifoHandle(in, READ_OPS, new Listener(this::readable));
    this.out = new EpollFifoHandle(out, WRITE_OPS, new Listener(ops -> writable()));
  }

  @Override
  public void start() {
    IoEventLoop loop = (IoEventLoop) ch.eventLoop();
    in.register(loop);
    out.register(loop);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void beginRead() {
    readRequested = true;
    if (inReady) {
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
    if (readRequested && inReady) {
      read();
    }
  }

  private void readable(EpollIoOps ops) {
    inReady = true;
    if ((ops.value() & (EpollFifoHandle.EPOLLHUP | EpollIoOps.EPOLLERR.value())) != 0) {
      inHangUp = true;
    }
    if (readRequested) {
      read();
    }
  }

  private void read() {
    if (!ch.isOpen() || ch.isInputShutdown() || in.isClosed()) {
      return;
    }
    RecvByteBufAllocator.Handle h = ch.unsafe().recvBufAllocHandle();
    h.reset(ch.config());
    ByteBufAllocator alloc = ch.config().getAllocator();
    boolean eof = false;
    IOException failure = null;
    if (first >= 0) {
      ByteBuf b = alloc.directBuffer(1).writeByte(first);
      first = -1;
      h.lastBytesRead(1);
      h.incMessagesRead(1);
      readRequested = false;
      ch.pipeline().fireChannelRead(b);
    }
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
        inReady = false;
        eof = n < 0;
        break;
      }
      buf.writerIndex(buf.writerIndex() + n);
      h.lastBytesRead(n);
      h.incMessagesRead(1);
      if (n < h.attemptedBytesRead() && !inHangUp) {
        // a FIFO read stops short only when it emptied the FIFO: the next write is an edge, and so
        // is the
        // writer's close; a close reported already (EPOLLHUP) gives no further edge, so read on to
        // the EOF
        inReady = false;
      }
      readRequested = false;
      ch.pipeline().fireChannelRead(buf);
    } while (inReady && h.continueReading() && ch.isOpen() && !ch.isInputShutdown());
    h.readComplete();
    ch.pipeline().fireChannelReadComplete();
    if (eof) {
      ch.eof();
    } else if (failure != null) {
      ch.readFailed(failure);
    } else if (inReady && ch.config().isAutoRead()) {
      readRequested =
          true; // stopped at the allocator's limit with more to read: go on after other channels
      scheduleRead();
    }
  }

  // ---------------------------------------------------------------- writing

  @Override
  public void write(ChannelOutboundBuffer buf) throws Exception {
    if (outBlocked || out.isClosed()) {
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
      long n =
          buf.size() == 1 ? out.write((ByteBuf) buf.current()) : out.writeFlushed(buf, MAX_WRITE);
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

  /** Hears one end: edges go to the engine, a failed registration closes the channel. */
  private final class Listener implements EpollFifoHandle.Listener {
    private final Consumer<EpollIoOps> onReady;

    Listener(Consumer<EpollIoOps> onReady) {
      this.onReady = onReady;
    }

    @Override
    public void ready(EpollIoOps ops) {
      onReady.accept(ops);
    }

    @Override
    public void registrationFailed(Throwable cause) {
      ch.pipeline().fireExceptionCaught(cause);
      ch.close();
    }
  }
}
