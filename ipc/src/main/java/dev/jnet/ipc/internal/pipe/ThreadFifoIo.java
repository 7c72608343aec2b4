package dev.jnet.ipc.internal.pipe;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The thread engine ({@link FifoEngine#THREADS}): a connection's blocking {@code read(2)} and
 * {@code write(2)} calls run on one reader and one writer thread of {@link FifoThreads#IO}, which
 * hand every result to the channel's loop. It works on any loop, epoll or NIO.
 *
 * <p>Reading follows Netty's {@code read()} contract: each {@link #beginRead()} lets the reader do
 * one {@code read(2)} of up to {@link #READ_SIZE} bytes, so with auto-read off nothing is read and
 * the peer's writes block once the FIFO is full. Writing hands the flushed buffers to the writer
 * thread, one gathering write at a time; a write completes once the kernel took every byte.
 *
 * <p>Threading: the loop owns every field but the two channels and the read permits, which the
 * threads see.
 */
final class ThreadFifoIo implements FifoIo {
  static final int READ_SIZE = 64 * 1024;
  private static final int MAX_WRITE = 1024 * 1024;
  private static final Runnable STOP = () -> {};

  /** How long a closed channel lets its write in flight finish before it cuts the FIFO. */
  private static final long LINGER_MS = 5_000;

  private final FifoPipeChannel ch;
  private final FifoEnd in;
  private final FifoEnd out;
  private final Semaphore readPermits = new Semaphore(0);
  private final BlockingQueue<Runnable> writes = new LinkedBlockingQueue<>();
  private boolean readPending;
  private boolean writing;
  private boolean threadsStarted;

  ThreadFifoIo(FifoPipeChannel ch, FifoEnd in, FifoEnd out) {
    this.ch = ch;
    this.in = in;
    this.out = out;
  }

  @Override
  public void start() {
    if (threadsStarted) {
      return;
    }
    threadsStarted = true;
    try {
      FifoThreads.IO.execute(this::readLoop);
      FifoThreads.IO.execute(this::writeLoop);
    } catch (RejectedExecutionException e) {
      ch.pipeline().fireExceptionCaught(e);
      ch.close();
    }
  }

  @Override
  public void beginRead() {
    if (readPending) {
      return;
    }
    readPending = true;
    readPermits.release();
  }

  @Override
  public void readCancelled() {
    // a read handed to the reader cannot be taken back; core keeps what it delivers
  }

  @Override
  public void write(ChannelOutboundBuffer buf) {
    if (writing) {
      return;
    }
    List<ByteBuf> batch = new ArrayList<>();
    long[] size = {0};
    try {
      buf.forEachFlushedMessage(
          m -> {
            ByteBuf b = (ByteBuf) m;
            if (b.isReadable()) {
              batch.add(b.retainedDuplicate());
              size[0] += b.readableBytes();
            }
            return size[0] < MAX_WRITE;
          });
    } catch (Exception e) {
      batch.forEach(ByteBuf::release);
      throw new IllegalStateException(e);
    }
    writing = true;
    FileChannel o = out.channel();
    writes.offer(() -> writeAll(o, batch, size[0]));
  }

  @Override
  public boolean isWriting() {
    return writing;
  }

  @Override
  public void closeInput() {
    in.close();
    readPermits.release();
  }

  @Override
  public void closeOutput() {
    out.close();
  }

  @Override
  public void close() {
    in.close();
    readPermits.release();
    if (writing && threadsStarted) {
      // let the write in flight finish (the writer closes the FIFO after it), but never wait on a
      // stuck reader
      writes.offer(STOP);
      FifoThreads.LINGER.schedule(out::close, LINGER_MS, TimeUnit.MILLISECONDS);
    } else {
      out.close();
      writes.offer(STOP);
    }
  }

  /**
   * Writes a batch on the writer thread. The batch holds retained duplicates, so a close on the
   * loop (which releases the outbound buffer) cannot free memory this write still reads: the bytes
   * handed to the writer before a close still reach the peer, as bytes handed to a socket's kernel
   * buffer do.
   */
  private void writeAll(FileChannel o, List<ByteBuf> batch, long size) {
    long done = 0;
    IOException failure = null;
    try {
      List<ByteBuffer> views = new ArrayList<>();
      for (ByteBuf b : batch) {
        views.addAll(Arrays.asList(b.nioBuffers()));
      }
      ByteBuffer[] bufs = views.toArray(new ByteBuffer[0]);
      while (done < size) {
        done += o.write(bufs);
      }
    } catch (IOException e) {
      failure = e;
    } finally {
      batch.forEach(ByteBuf::release);
    }
    long written = done;
    IOException f = failure;
    onLoop(() -> writeDone(written, f));
  }

  private void writeDone(long written, IOException failure) {
    writing = false;
    ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
    if (buf == null || !ch.isOpen()) {
      return;
    }
    if (failure != null) {
      ch.writeFailed(failure);
      return;
    }
    buf.removeBytes(written);
    ch.writeSettled();
    ch.flushAgain();
  }

  private void writeLoop() {
    try {
      Runnable r;
      while ((r = writes.take()) != STOP) {
        r.run();
      }
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLoop() {
    FileChannel c = in.channel();
    while (true) {
      try {
        readPermits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!ch.isOpen() || ch.isInputShutdown()) {
        return;
      }
      ByteBuf buf = ch.alloc().ioBuffer(READ_SIZE, READ_SIZE);
      int n;
      try {
        n = c.read(buf.nioBuffer(0, READ_SIZE));
      } catch (IOException e) {
        buf.release();
        if (ch.isOpen() && !ch.isInputShutdown()) {
          onLoop(() -> readFailed(e));
        }
        return;
      }
      if (n < 0) {
        buf.release();
        onLoop(this::onEof);
        return;
      }
      buf.writerIndex(n);
      if (!onLoop(() -> deliver(buf))) {
        buf.release();
        return;
      }
    }
  }

  private boolean onLoop(Runnable r) {
    try {
      ch.eventLoop().execute(r);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void deliver(ByteBuf buf) {
    readPending = false;
    if (!ch.isOpen() || ch.isInputShutdown()) {
      buf.release();
      return;
    }
    if (ch.config().isAutoRead()) {
      // read ahead: the reader fetches the next chunk while the loop handles this one (a read
      // requested
      // meanwhile finds it pending); core keeps what arrives after a pause, as with any transport's
      // last read
      readPending = true;
      readPermits.release();
    }
    ch.pipeline().fireChannelRead(buf);
    ch.pipeline().fireChannelReadComplete();
  }

  private void onEof() {
    readPending = false;
    ch.eof();
  }

  private void readFailed(IOException e) {
    readPending = false;
    ch.readFailed(e);
  }
}
