package dev.jnet.ipc.pipe;

import dev.jnet.PeerCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
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
 * One {@code pipe:} connection as a Netty {@link DuplexChannel}: a FIFO to read and a FIFO to write. The channel
 * lives on any event loop (epoll or NIO); its blocking {@code read(2)} and {@code write(2)} calls run on one reader
 * and one writer thread of {@link FifoThreads}, which hand results back to the loop. Every channel state is
 * touched on the loop only; the threads see the two {@link FileChannel}s and the read permits.
 *
 * <p>Reading follows Netty's {@code read()} contract: each {@link #doBeginRead()} lets the reader do one {@code
 * read(2)} of up to {@link #READ_SIZE} bytes, so with auto-read off nothing is read and the peer's writes block
 * once the FIFO is full. Writing hands the flushed buffers to the writer thread, one gathering write at a time;
 * a write completes (and its promise succeeds) once the kernel took every byte.
 */
final class FifoPipeChannel extends AbstractChannel implements DuplexChannel {
  static final int READ_SIZE = 64 * 1024;
  private static final int MAX_WRITE = 1024 * 1024;
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  private static final Runnable STOP = () -> {};
  /** How long a closed channel lets its write in flight finish before it cuts the FIFO. */
  private static final long LINGER_MS = 5_000;

  private final FifoChannelConfig config = new FifoChannelConfig(this);
  private final Semaphore readPermits = new Semaphore(0);
  private final BlockingQueue<Runnable> writes = new LinkedBlockingQueue<>();
  private final PipeAddress local;
  private volatile FileChannel in;
  private volatile FileChannel out;
  private volatile PipeAddress remote;
  private volatile PeerCredentials peer;
  private volatile boolean open = true;
  private volatile boolean active;
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;
  private boolean readPending;
  private boolean writing;
  private ChannelPromise pendingShutdown;
  private ChannelPromise connectPromise;
  private boolean threadsStarted;

  /** A client channel, connected by {@link #connect}. */
  FifoPipeChannel() {
    super(null);
    this.local = null;
  }

  /** An accepted channel whose FIFOs are open. */
  FifoPipeChannel(Channel parent, FileChannel in, FileChannel out, PipeAddress local, PeerCredentials peer) {
    super(parent);
    this.in = in;
    this.out = out;
    this.local = local;
    this.remote = local;
    this.peer = peer;
    this.active = true;
  }

  /**
   * Returns the peer's credentials: the owner of its FIFOs, and the pid it announced (-1 when unknown).
   *
   * @return the credentials, null before the connection is open
   */
  PeerCredentials peerCredentials() {
    return peer;
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new FifoUnsafe();
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return true; // no selector registration: the FIFO threads hand work to any loop
  }

  @Override
  protected void doRegister(ChannelPromise promise) {
    promise.setSuccess();
    if (active) {
      startThreads();
    }
  }

  @Override
  protected SocketAddress localAddress0() {
    return local;
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return remote;
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a pipe: client does not bind");
  }

  @Override
  protected void doDisconnect() {
    doClose();
  }

  @Override
  protected void doClose() {
    open = false;
    active = false;
    Fifos.close(in);
    readPermits.release();
    FileChannel o = out;
    if (writing && threadsStarted) {
      // let the write in flight finish (the writer closes the FIFO after it), but never wait on a stuck reader
      writes.offer(STOP);
      FifoThreads.LINGER.schedule(() -> Fifos.close(o), LINGER_MS, TimeUnit.MILLISECONDS);
    } else {
      Fifos.close(o);
      writes.offer(STOP);
    }
  }

  @Override
  protected void doBeginRead() {
    if (!active || inputShutdown || readPending) {
      return;
    }
    readPending = true;
    readPermits.release();
  }

  @Override
  protected Object filterOutboundMessage(Object msg) {
    if (msg instanceof ByteBuf) {
      return msg;
    }
    throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getName());
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer buf) {
    if (writing) {
      return;
    }
    while (true) {
      Object msg = buf.current();
      if (msg == null) {
        return;
      }
      if (outputShutdown) {
        buf.remove(new ChannelOutputShutdownException("the pipe's output is shut down"));
      } else if (!((ByteBuf) msg).isReadable()) {
        buf.remove();
      } else {
        break;
      }
    }
    List<ByteBuf> batch = new ArrayList<>();
    long[] size = {0};
    try {
      buf.forEachFlushedMessage(m -> {
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
    FileChannel o = out;
    writes.offer(() -> writeAll(o, batch, size[0]));
  }

  /**
   * Writes a batch on the writer thread. The batch holds retained duplicates, so a close on the loop (which
   * releases the outbound buffer) cannot free memory this write still reads: the bytes handed to the writer
   * before a close still reach the peer, as bytes handed to a socket's kernel buffer do.
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
    ChannelOutboundBuffer buf = unsafe().outboundBuffer();
    if (buf == null || !open) {
      return;
    }
    if (failure != null) {
      ((FifoUnsafe) unsafe()).writeFailed(failure);
      return;
    }
    buf.removeBytes(written);
    if (pendingShutdown != null) {
      ChannelPromise p = pendingShutdown;
      pendingShutdown = null;
      shutdownOutput0(p);
    }
    ((FifoUnsafe) unsafe()).flushAgain();
  }

  // ---------------------------------------------------------------- threads

  private void startThreads() {
    if (threadsStarted) {
      return;
    }
    threadsStarted = true;
    try {
      FifoThreads.POOL.execute(this::readLoop);
      FifoThreads.POOL.execute(this::writeLoop);
    } catch (RejectedExecutionException e) {
      pipeline().fireExceptionCaught(e);
      close();
    }
  }

  private void writeLoop() {
    try {
      Runnable r;
      while ((r = writes.take()) != STOP) {
        r.run();
      }
      Fifos.close(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLoop() {
    FileChannel c = in;
    while (true) {
      try {
        readPermits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!open || inputShutdown) {
        return;
      }
      ByteBuf buf = alloc().ioBuffer(READ_SIZE, READ_SIZE);
      int n;
      try {
        n = c.read(buf.nioBuffer(0, READ_SIZE));
      } catch (IOException e) {
        buf.release();
        if (open && !inputShutdown) {
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
      eventLoop().execute(r);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void deliver(ByteBuf buf) {
    readPending = false;
    if (!open || inputShutdown) {
      buf.release();
      return;
    }
    if (config.isAutoRead()) {
      // read ahead: the reader fetches the next chunk while the loop handles this one (a read requested
      // meanwhile finds it pending); core keeps what arrives after a pause, as with any transport's last read
      readPending = true;
      readPermits.release();
    }
    pipeline().fireChannelRead(buf);
    pipeline().fireChannelReadComplete();
  }

  private void onEof() {
    readPending = false;
    if (!open || inputShutdown) {
      return;
    }
    if (!config.isAllowHalfClosure()) {
      close();
      return;
    }
    inputShutdown = true;
    Fifos.close(in);
    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
  }

  private void readFailed(IOException e) {
    readPending = false;
    if (open && !inputShutdown) {
      pipeline().fireExceptionCaught(e);
      close();
    }
  }

  // ---------------------------------------------------------------- connect

  private void connected(FileChannel[] fifos, PipeAddress address, PeerCredentials creds) {
    ChannelPromise p = connectPromise;
    connectPromise = null;
    if (!open) {
      Fifos.close(fifos[0]);
      Fifos.close(fifos[1]);
      return;
    }
    out = fifos[0];
    in = fifos[1];
    remote = address;
    peer = creds;
    active = true;
    startThreads();
    boolean promiseSet = p.trySuccess();
    pipeline().fireChannelActive();
    if (!promiseSet) {
      close();
    }
  }

  private void connectFailed(Throwable cause) {
    ChannelPromise p = connectPromise;
    connectPromise = null;
    if (p != null) {
      p.tryFailure(cause);
    }
    close();
  }

  // ---------------------------------------------------------------- half-close

  @Override
  public boolean isInputShutdown() {
    return inputShutdown;
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown;
  }

  @Override
  public boolean isShutdown() {
    return inputShutdown && outputShutdown;
  }

  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    onLoopOrNow(() -> {
      inputShutdown = true;
      Fifos.close(in);
      promise.trySuccess();
    }, promise);
    return promise;
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    onLoopOrNow(() -> shutdownOutput0(promise), promise);
    return promise;
  }

  private void shutdownOutput0(ChannelPromise promise) {
    if (!open) {
      promise.tryFailure(new ClosedChannelException());
    } else if (outputShutdown) {
      promise.trySuccess();
    } else if (writing) {
      pendingShutdown = promise; // after the write in flight: closing now would cut it short
    } else {
      outputShutdown = true;
      Fifos.close(out);
      promise.trySuccess();
    }
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    ChannelPromise out = newPromise();
    shutdownOutput(out);
    out.addListener(f -> shutdownInput(promise));
    return promise;
  }

  private void onLoopOrNow(Runnable r, ChannelPromise promise) {
    if (!isRegistered() || eventLoop().inEventLoop()) {
      r.run();
    } else if (!onLoop(r)) {
      promise.tryFailure(new ClosedChannelException());
    }
  }

  // ---------------------------------------------------------------- Netty plumbing

  @Override
  public Channel parent() {
    return super.parent();
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open && active;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  public PipeAddress localAddress() {
    return (PipeAddress) super.localAddress();
  }

  @Override
  public PipeAddress remoteAddress() {
    return (PipeAddress) super.remoteAddress();
  }

  private final class FifoUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
      if (!promise.setUncancellable() || !ensureOpen(promise)) {
        return;
      }
      if (connectPromise != null || active) {
        promise.setFailure(new ConnectionPendingException());
        return;
      }
      connectPromise = promise;
      PipeAddress a = (PipeAddress) remoteAddress;
      long timeoutMs = config.getConnectTimeoutMillis();
      try {
        PipeConnector.ANNOUNCER.execute(() -> announce(a, timeoutMs));
      } catch (RejectedExecutionException e) {
        connectFailed(e);
      }
    }

    private void announce(PipeAddress a, long timeoutMs) {
      try {
        PipeConnector.Announced an = PipeConnector.announce(a, timeoutMs, () -> !open);
        FifoThreads.POOL.execute(() -> finishConnect(an));
      } catch (Throwable t) {
        onLoop(() -> connectFailed(t));
      }
    }

    private void finishConnect(PipeConnector.Announced an) {
      PipeAddress a = an.address();
      try {
        PipeConnector.Connection c = PipeConnector.open(an);
        if (!onLoop(() -> connected(new FileChannel[] {c.out(), c.in()}, a, c.peer()))) {
          Fifos.close(c.out());
          Fifos.close(c.in());
        }
      } catch (Throwable t) {
        onLoop(() -> connectFailed(t));
      }
    }

    void writeFailed(IOException failure) {
      handleWriteError(failure);
    }

    void flushAgain() {
      flush0();
    }
  }
}
