package dev.jnet.ipc.internal.pipe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.IoEventLoop;
import io.netty.channel.RecvByteBufAllocator;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The loop engines ({@link FifoEngine#EPOLL}, {@link FifoEngine#SELECTOR}): a connection's two FIFO
 * descriptors, non-blocking, registered with the channel's Netty loop as two {@link FifoHandle}s,
 * next to every socket of that loop. No thread per connection.
 *
 * <p>Under epoll both ends are edge-triggered with a fixed interest ({@code EPOLLIN} for the read
 * end, {@code EPOLLOUT} for the write end): pausing and resuming cost no {@code epoll_ctl}, and the
 * {@code EPOLLHUP} of a read end whose writer left (or the {@code EPOLLERR} of a write end whose
 * reader left) is reported once instead of on every wake-up while nobody reads. In exchange the
 * engine remembers what an event told it: the read end is ready from an event until a read comes
 * back short or with {@code EAGAIN} (a short read empties a FIFO), or, once an event carried {@code
 * EPOLLHUP}, until it reads EOF; a read requested while it is ready runs from a loop task instead
 * of waiting for an edge that already came. Under a selector, which is level-triggered, the same
 * bookkeeping holds, and each end's interest is on only while the engine waits for it ({@link
 * FifoHandle#interest}): the read end while a read is requested and the end is not known to be
 * ready, the write end while a write waits for room.
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
final class LoopFifoIo implements FifoIo {
  private static final long MAX_WRITE = 1024 * 1024;

  private final FifoPipeChannel ch;
  private final FifoHandle in;
  private final FifoHandle out;
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

  /** The read end came registered already (handed over by the accept wait). */
  private final boolean inHandedOver;

  LoopFifoIo(FifoPipeChannel ch, FifoEnd in, FifoEnd out, FifoEngine engine) {
    this.ch = ch;
    this.first = in.takeUnread();
    FifoHandle kept = in.takeHandle();
    Listener reads = new Listener(this::readable);
    if (kept != null) {
      kept.handOver(reads);
      this.in = kept;
    } else {
      this.in = engine.handle(in, false, true, reads);
    }
    this.inHandedOver = kept != null;
    // a handed-over end may hold bytes, or its writer may have left, and the accept wait heard
    // those edges: read to find out, and to the end if it heard the hang-up
    this.inReady = first >= 0 || inHandedOver;
    this.inHangUp = inHandedOver && kept.hungUp();
    this.out = engine.handle(out, true, false, new Listener(hangUp -> writable()));
  }

  @Override
  public void start() {
    IoEventLoop loop = (IoEventLoop) ch.eventLoop();
    if (!inHandedOver) {
      in.register(loop);
    }
    out.register(loop);
    watchReads();
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void beginRead() {
    readRequested = true;
    if (inReady) {
      scheduleRead();
    }
    watchReads();
  }

  @Override
  public void readCancelled() {
    readRequested = false;
    watchReads();
  }

  /** A level-triggered read end is watched only while a read waits for it. */
  private void watchReads() {
    if (!in.isClosed()) {
      in.interest(readRequested && !inReady);
    }
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
    watchReads();
  }

  private void readable(boolean hangUp) {
    inReady = true;
    if (hangUp) {
      inHangUp = true;
    }
    if (readRequested) {
      read();
    }
    watchReads();
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
        out.interest(true);
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
      out.interest(false);
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

  /** Hears one end: events go to the engine, a failed registration closes the channel. */
  private final class Listener implements FifoHandle.Listener {
    private final Consumer<Boolean> onReady;

    Listener(Consumer<Boolean> onReady) {
      this.onReady = onReady;
    }

    @Override
    public void ready(boolean hangUp) {
      onReady.accept(hangUp);
    }

    @Override
    public void registrationFailed(Throwable cause) {
      ch.pipeline().fireExceptionCaught(cause);
      ch.close();
    }
  }
}
