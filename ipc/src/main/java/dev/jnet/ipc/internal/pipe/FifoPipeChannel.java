package dev.jnet.ipc.internal.pipe;

import dev.jnet.PeerCredentials;
import dev.jnet.spi.PeerExpectation;
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
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One {@code pipe:} connection as a Netty {@link DuplexChannel}: a FIFO to read and a FIFO to
 * write. The channel keeps Netty's contract (state, half-close, connect, events) and leaves the
 * moving of bytes to its {@link FifoIo}, chosen by {@link FifoEngine}: the FIFO descriptors on the
 * epoll loop, or a reader and a writer thread.
 *
 * <p>Threading: every channel state is touched on the loop only (the flags are volatile so that any
 * thread may ask {@link #isOpen()} and the like); connect work runs on {@link
 * PipeConnector#ANNOUNCER} and opener threads and hands its result to the loop.
 */
final class FifoPipeChannel extends AbstractChannel implements DuplexChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

  private final FifoChannelConfig config = new FifoChannelConfig(this);
  private final FifoEngine engine;
  private final PipeAddress local;
  private volatile FifoIo io;
  private volatile PipeAddress remote;
  private volatile PeerCredentials peer;
  private volatile boolean open = true;
  private volatile boolean active;
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;
  private ChannelPromise pendingShutdown;
  private ChannelPromise connectPromise;
  private boolean started;

  /**
   * A client channel, connected by {@link #connect}.
   *
   * @param engine the engine its FIFOs will be opened for
   */
  FifoPipeChannel(FifoEngine engine) {
    super(null);
    this.engine = engine;
    this.local = null;
  }

  /** An accepted channel whose FIFOs are open (for {@code engine}). */
  FifoPipeChannel(
      Channel parent,
      FifoEngine engine,
      FifoEnd in,
      FifoEnd out,
      PipeAddress local,
      PeerCredentials peer) {
    super(parent);
    this.engine = engine;
    this.io = engine.newIo(this, in, out);
    this.local = local;
    this.remote = local;
    this.peer = peer;
    this.active = true;
  }

  /**
   * Returns the engine moving this channel's bytes.
   *
   * @return the engine
   */
  FifoEngine engine() {
    return engine;
  }

  /**
   * Returns the peer's credentials: the owner of its FIFOs, and the pid it announced (-1 when
   * unknown).
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
    return engine.isCompatible(loop);
  }

  @Override
  protected void doRegister(ChannelPromise promise) {
    promise.setSuccess();
    if (active) {
      startIo();
    }
  }

  private void startIo() {
    if (!started) {
      started = true;
      io.start();
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
    FifoIo i = io;
    if (i != null) {
      i.close();
    }
    ChannelPromise p = pendingShutdown;
    if (p != null) {
      pendingShutdown = null;
      p.tryFailure(new ClosedChannelException());
    }
  }

  @Override
  protected void doBeginRead() {
    if (!active || inputShutdown) {
      return;
    }
    io.beginRead();
  }

  /** Auto-read was switched off (called by the config, on any thread). */
  void autoReadCleared() {
    FifoIo i = io;
    if (i != null && isRegistered()) {
      if (eventLoop().inEventLoop()) {
        i.readCancelled();
      } else {
        onLoop(i::readCancelled);
      }
    }
  }

  @Override
  protected Object filterOutboundMessage(Object msg) {
    if (msg instanceof ByteBuf b) {
      // the epoll engine writes from native memory, as Netty's own epoll channels do
      return engine.nonBlocking() && !b.isDirect() ? direct(b) : b;
    }
    throw new UnsupportedOperationException(
        "unsupported message type: " + msg.getClass().getName());
  }

  private ByteBuf direct(ByteBuf b) {
    int n = b.readableBytes();
    ByteBuf d = alloc().directBuffer(n);
    d.writeBytes(b, b.readerIndex(), n);
    ReferenceCountUtil.safeRelease(b);
    return d;
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer buf) throws Exception {
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
    io.write(buf);
  }

  // ---------------------------------------------------------------- callbacks of the FifoIo, on
  // the loop

  /** The read end reached EOF. */
  void eof() {
    if (!open || inputShutdown) {
      return;
    }
    if (!config.isAllowHalfClosure()) {
      close();
      return;
    }
    inputShutdown = true;
    io.closeInput();
    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
  }

  /** A read failed. */
  void readFailed(IOException e) {
    if (open && !inputShutdown) {
      pipeline().fireExceptionCaught(e);
      close();
    }
  }

  /**
   * Every byte handed to the FifoIo so far is written: a half-close waiting for that may go ahead.
   */
  void writeSettled() {
    if (pendingShutdown != null) {
      ChannelPromise p = pendingShutdown;
      pendingShutdown = null;
      shutdownOutput0(p);
    }
  }

  /** A write failed: Netty's write-error handling (close, as for a socket). */
  void writeFailed(IOException failure) {
    ((FifoUnsafe) unsafe()).writeFailed(failure);
  }

  /** Writes what is flushed and not yet written. */
  void flushAgain() {
    ((FifoUnsafe) unsafe()).flushAgain();
  }

  private boolean onLoop(Runnable r) {
    try {
      eventLoop().execute(r);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- connect

  private void connected(PipeConnector.Connection c, PipeAddress address) {
    ChannelPromise p = connectPromise;
    connectPromise = null;
    if (!open) {
      Fifos.close(c.out());
      Fifos.close(c.in());
      return;
    }
    io = engine.newIo(this, c.in(), c.out());
    remote = address;
    peer = c.peer();
    active = true;
    startIo();
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
    onLoopOrNow(
        () -> {
          inputShutdown = true;
          FifoIo i = io;
          if (i != null) {
            i.closeInput();
          }
          promise.trySuccess();
        },
        promise);
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
    } else if (io != null && io.isWriting()) {
      pendingShutdown = promise; // after the write in flight: closing now would cut it short
    } else {
      outputShutdown = true;
      if (io != null) {
        io.closeOutput();
      }
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
    public void connect(
        SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
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
      PipeTrust.Expect expect =
          PeerExpectation.of(FifoPipeChannel.this)
              .map(r -> new PipeTrust.Expect(r.uid().orElse(PipeTrust.euid()), r.gid()))
              .orElse(PipeTrust.Expect.self());
      if (engine.opensWithoutThreads()) {
        announce(a, expect, timeoutMs); // nothing blocks: no thread hand-off
        return;
      }
      try {
        PipeConnector.ANNOUNCER.execute(() -> announce(a, expect, timeoutMs));
      } catch (RejectedExecutionException e) {
        connectFailed(e);
      }
    }

    private void announce(PipeAddress a, PipeTrust.Expect expect, long timeoutMs) {
      try {
        PipeConnector.Announced an =
            PipeConnector.announce(a, expect, timeoutMs, () -> !open, engine);
        if (an.out() == null) {
          FifoThreads.OPENERS.execute(() -> finishConnect(an));
        } else if (!onLoop(
            () ->
                AcceptWait.start(
                    (io.netty.channel.IoEventLoop) eventLoop(),
                    engine,
                    an,
                    c -> connected(c, a),
                    FifoPipeChannel.this::connectFailed))) {
          Fifos.close(an.out()); // the loop is shutting down
          Fifos.close(an.in());
          Fifos.delete(an.up(), an.down());
        }
      } catch (Throwable t) {
        onLoop(() -> connectFailed(t));
      }
    }

    private void finishConnect(PipeConnector.Announced an) {
      PipeAddress a = an.address();
      try {
        PipeConnector.Connection c =
            PipeConnector.open(an, engine, t -> onLoop(() -> connectFailed(t)));
        if (!onLoop(() -> connected(c, a))) {
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
