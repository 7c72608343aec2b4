package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.ReadyState;
import dev.jnet.Registration;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.WriteCallback;
import dev.jnet.spi.Capability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * The one implementation of {@link Socket}: every rule of Node's event contract lives here, over a Netty channel
 * that a transport created. Loop-confined state is touched only on {@link #loop}; the few fields read from other
 * threads are volatile or atomic.
 */
public final class DefaultSocket implements Socket {

  final EventLoop loop;
  private final Engine engine;
  private final SocketOptions options;
  private final Endpoint target;
  private final DefaultServer server;
  private final NettyTransport transport;
  private final NetException transportError;
  private volatile Channel channel;

  private volatile boolean connecting;
  private volatile boolean destroyed;
  private volatile boolean endCalled;
  // Set by the calling thread in end(), so readyState and write's return value see it at once, as in Node.
  private volatile boolean writableEnded;
  // Set by the calling thread in destroy(), so isDestroyed, readyState and write see it at once, as in Node.
  private volatile boolean destroyRequested;
  private volatile boolean endEmitted;
  private volatile boolean paused;
  private boolean endedByPeer;
  /** Set before the end listeners run when the automatic end follows: other threads' writes now come too late. */
  private volatile boolean autoEnding;
  private boolean shutdownStarted;
  private boolean writeFinished;
  private boolean readEnded;
  private boolean channelGone;
  private boolean closeEmitted;
  private boolean connectEmitted;
  private boolean hadError;
  private NetException error;
  private boolean reading = true;
  private boolean pipeBlocked;
  private boolean noDelay;
  private boolean keepAlive;
  private int keepAliveSeconds;

  private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>(2);
  private long inboxBytes;
  private final List<DefaultSocket> pipes = new ArrayList<>(1);
  private final ArrayDeque<PendingWrite> preConnect = new ArrayDeque<>(2);
  private final ArrayList<Runnable> drainWaiters = new ArrayList<>(1);
  private int outstanding;
  private final AtomicLong pending = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger queuedWrites = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicBoolean needDrain = new AtomicBoolean();
  private volatile long bytesRead;

  private final IdleTimer idle;
  private TextDecoder decoder;

  private volatile Optional<Endpoint> localAddress = Optional.empty();
  private volatile Optional<Endpoint> remoteAddress = Optional.empty();
  private volatile Optional<PeerCredentials> credentials = Optional.empty();

  private final Object refLock = new Object();
  private boolean refd = true;

  private final Listeners<Runnable> connectListeners = new Listeners<>();
  private final Listeners<Runnable> readyListeners = new Listeners<>();
  private final Listeners<Consumer<ByteBuffer>> dataListeners = new Listeners<>();
  private final Listeners<Consumer<String>> textListeners = new Listeners<>();
  private final Listeners<Runnable> endListeners = new Listeners<>();
  private final Listeners<Runnable> drainListeners = new Listeners<>();
  private final Listeners<Runnable> timeoutListeners = new Listeners<>();
  private final Listeners<Consumer<NetException>> errorListeners = new Listeners<>();
  private final Listeners<Consumer<Boolean>> closeListeners = new Listeners<>();
  private final CompletableFuture<Socket> connected = new CompletableFuture<>();
  private final CompletableFuture<Boolean> closed = new CompletableFuture<>();

  private record PendingWrite(ByteBuf buf, int length, WriteCallback callback) {}

  private DefaultSocket(Engine engine, EventLoop loop, SocketOptions options, Endpoint target,
      DefaultServer server, NettyTransport transport, NetException transportError) {
    this.engine = engine;
    this.loop = loop;
    this.options = options;
    this.target = target;
    this.server = server;
    this.transport = transport;
    this.transportError = transportError;
    this.noDelay = options.noDelay();
    this.keepAlive = options.keepAlive();
    this.keepAliveSeconds = NettyTransport.keepAliveSeconds(options);
    this.idle = new IdleTimer(loop, this::emitTimeout);
    engine.ref();
  }

  /**
   * Starts a client connection.
   *
   * @param engine the engine
   * @param endpoint where to connect
   * @param options the options
   * @return the connecting socket
   */
  public static DefaultSocket connect(Engine engine, Endpoint endpoint, SocketOptions options) {
    NettyTransport transport = null;
    NetException missing = null;
    try {
      transport = engine.transport(endpoint);
    } catch (NetException e) {
      missing = e;
    }
    DefaultSocket s =
        new DefaultSocket(engine, engine.nextLoop(), options, endpoint, null, transport, missing);
    s.connecting = true;
    s.loop.execute(s::startConnect);
    return s;
  }

  static DefaultSocket accepted(
      Engine engine, Channel ch, NettyTransport transport, DefaultServer server, boolean pauseOnConnect) {
    SocketOptions o = server.childOptions();
    DefaultSocket s = new DefaultSocket(engine, ch.eventLoop(), o, null, server, transport, null);
    s.paused = pauseOnConnect;
    s.channel = ch;
    transport.configure(ch, s.noDelay, s.keepAlive, s.keepAliveSeconds);
    ch.pipeline().addLast(new StreamAdapter(s));
    s.cacheAddresses(ch);
    s.connected.complete(s);
    s.updateReading();
    return s;
  }

  // ---------------------------------------------------------------- connecting

  private void startConnect() {
    if (destroyed) {
      return;
    }
    if (transportError != null) {
      fail(transportError);
      return;
    }
    if (!options.timeout().isZero()) {
      idle.arm(options.timeout().toNanos());
    }
    transport.remoteAddress(engine, target).whenComplete((addr, err) -> run(() -> {
      if (err != null) {
        fail(SystemErrors.map(unwrap(err), "connect", target.address()));
      } else {
        openChannel(addr);
      }
    }));
  }

  private void openChannel(SocketAddress address) {
    if (destroyed) {
      return;
    }
    Channel ch;
    try {
      ch = transport.newChannel(engine, target, address);
      ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      long ms = options.connectTimeout().toMillis();
      ch.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, ms));
      transport.configure(ch, noDelay, keepAlive, keepAliveSeconds);
    } catch (RuntimeException e) {
      fail(SystemErrors.map(e, "connect", target.address()));
      return;
    }
    ch.pipeline().addLast(new StreamAdapter(this));
    channel = ch;
    loop.register(ch).addListener(rf -> {
      if (!rf.isSuccess()) {
        fail(SystemErrors.map(rf.cause(), "connect", target.address()));
      } else if (destroyed) {
        ch.close();
      } else if (ch.isActive()) {
        onConnected(); // a descriptor that was connected already (fd:N)
      } else {
        ch.connect(address).addListener(cf -> {
          if (cf.isSuccess()) {
            onConnected();
          } else {
            fail(SystemErrors.map(cf.cause(), "connect", target.address()));
          }
        });
      }
    });
  }

  private void onConnected() {
    Channel ch = channel;
    if (destroyed) {
      ch.close();
      return;
    }
    connecting = false;
    cacheAddresses(ch);
    idle.touch();
    updateReading();
    connectEmitted = true;
    connectListeners.forEach(this::safely);
    readyListeners.forEach(this::safely);
    connected.complete(this);
    PendingWrite w;
    while (!destroyed && (w = preConnect.poll()) != null) {
      channelWrite(w.buf(), w.length(), w.callback());
    }
    if (endCalled && !destroyed && outstanding == 0) {
      shutdownOutput();
    }
  }

  private void cacheAddresses(Channel ch) {
    localAddress = transport.toEndpoint(ch.localAddress());
    remoteAddress = transport.toEndpoint(ch.remoteAddress());
    credentials = transport.peerCredentials(ch);
  }

  // ---------------------------------------------------------------- reading

  void onRead(ByteBuf buf) {
    int n = buf.readableBytes();
    bytesRead += n;
    idle.touch();
    if (destroyed) {
      buf.release();
      return;
    }
    if (inbox.isEmpty() && !paused && hasConsumer()) {
      dispatch(buf);
    } else {
      inbox.add(buf);
      inboxBytes += n;
      if (inboxBytes >= options.highWaterMark()) {
        updateReading();
      }
    }
  }

  void onReadComplete() {
    if (destroyed) {
      return;
    }
    for (int i = 0; i < pipes.size(); i++) {
      DefaultSocket d = pipes.get(i);
      if (!pipeBlocked && d.pending.get() > d.options.highWaterMark()) {
        pipeBlocked = true;
        d.whenDrained(() -> run(this::pipeUnblocked));
      }
    }
    updateReading();
  }

  private void pipeUnblocked() {
    pipeBlocked = false;
    drainInbox();
  }

  void onEof() {
    readEnded = true;
    drainInbox();
  }

  private boolean hasConsumer() {
    return !pipes.isEmpty() || !dataListeners.isEmpty() || !textListeners.isEmpty();
  }

  private void drainInbox() {
    while (!paused && !destroyed && !inbox.isEmpty() && hasConsumer()) {
      ByteBuf b = inbox.poll();
      inboxBytes -= b.readableBytes();
      dispatch(b);
    }
    if (inbox.isEmpty() && readEnded && !endEmitted && !paused && !destroyed) {
      emitEnd();
    }
    updateReading();
  }

  private void dispatch(ByteBuf buf) {
    boolean handedOver = false;
    try {
      if (!dataListeners.isEmpty()) {
        dataListeners.forEach(l -> deliverCopy(buf, l));
      }
      if (!textListeners.isEmpty()) {
        String text = decoder().decode(buf);
        if (!text.isEmpty()) {
          textListeners.forEach(l -> safely(() -> l.accept(text)));
        }
      }
      for (int i = pipes.size() - 1; i >= 0; i--) {
        DefaultSocket d = pipes.get(i);
        if (d.destroyed) {
          pipes.remove(i);
        } else if (i == 0) {
          handedOver = true;
          d.writeOwned(buf);
        } else {
          d.writeOwned(buf.retainedDuplicate());
        }
      }
    } finally {
      if (!handedOver) {
        buf.release();
      }
    }
  }

  private void deliverCopy(ByteBuf buf, Consumer<ByteBuffer> listener) {
    ByteBuffer copy = ByteBuffer.allocate(buf.readableBytes());
    buf.getBytes(buf.readerIndex(), copy);
    copy.flip();
    safely(() -> listener.accept(copy));
  }

  private TextDecoder decoder() {
    if (decoder == null) {
      decoder = new TextDecoder(StandardCharsets.UTF_8);
    }
    return decoder;
  }

  private void updateReading() {
    Channel ch = channel;
    if (ch == null || destroyed || readEnded || connecting) {
      return;
    }
    boolean want = !paused && !pipeBlocked && inboxBytes < Math.max(1, options.highWaterMark());
    if (want != reading) {
      reading = want;
      ch.config().setAutoRead(want);
    }
  }

  private void emitEnd() {
    endEmitted = true;
    autoEnding = !options.allowHalfOpen() && !endCalled;
    if (decoder != null && !textListeners.isEmpty()) {
      String rest = decoder.finish();
      if (!rest.isEmpty()) {
        textListeners.forEach(l -> safely(() -> l.accept(rest)));
      }
    }
    endListeners.forEach(this::safely);
    for (DefaultSocket d : pipes) {
      d.end();
    }
    if (channelGone) {
      destroyInternal(null);
      return;
    }
    if (!options.allowHalfOpen() && !endCalled && !destroyed) {
      endedByPeer = true;
      doEnd();
    }
    maybeClose();
  }

  // ---------------------------------------------------------------- writing

  @Override
  public boolean write(ByteBuffer data) {
    return copyAndEnqueue(data, null);
  }

  @Override
  public boolean write(ByteBuffer data, WriteCallback callback) {
    return copyAndEnqueue(data, Objects.requireNonNull(callback, "callback"));
  }

  @Override
  public boolean write(byte[] data) {
    return copyAndEnqueue(ByteBuffer.wrap(Objects.requireNonNull(data, "data")), null);
  }

  @Override
  public boolean write(String data) {
    Objects.requireNonNull(data, "data");
    int n = ByteBufUtil.utf8Bytes(data);
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n);
    ByteBufUtil.writeUtf8(buf, data);
    return enqueue(buf, null);
  }

  private boolean copyAndEnqueue(ByteBuffer data, WriteCallback callback) {
    Objects.requireNonNull(data, "data");
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(data.remaining());
    buf.writeBytes(data.duplicate());
    return enqueue(buf, callback);
  }

  private boolean enqueue(ByteBuf buf, WriteCallback callback) {
    int n = buf.readableBytes();
    long p = pending.addAndGet(n);
    bytesWritten.addAndGet(n);
    if (p > options.maxBufferedBytes()) {
      pending.addAndGet(-n);
      bytesWritten.addAndGet(-n);
      buf.release();
      NetException full = NetException.withMessage(ErrorCode.ERR_BUFFER_FULL, "write", "",
          "ERR_BUFFER_FULL: more than " + options.maxBufferedBytes()
              + " bytes buffered; wait for drain when write returns false");
      run(() -> {
        complete(callback, full);
        destroyInternal(full);
      });
      return false;
    }
    boolean ok = p < options.highWaterMark();
    if (!ok) {
      needDrain.set(true);
    }
    ok = ok && !writableEnded && !destroyed && !destroyRequested && !(autoEnding && !loop.inEventLoop());
    submitWrite(buf, n, callback);
    return ok;
  }

  /** Writes a buffer this socket now owns (the pipe path: no copy, no hard cap). */
  void writeOwned(ByteBuf buf) {
    int n = buf.readableBytes();
    pending.addAndGet(n);
    bytesWritten.addAndGet(n);
    submitWrite(buf, n, null);
  }

  /**
   * Runs a write on the loop in call order: a write made on the loop goes at once unless writes from other threads
   * are still queued, so a write ordered after another thread's write (by a lock, say) never overtakes it.
   */
  private void submitWrite(ByteBuf buf, int n, WriteCallback callback) {
    if (loop.inEventLoop() && queuedWrites.get() == 0) {
      doWrite(buf, n, callback);
    } else {
      queuedWrites.incrementAndGet();
      loop.execute(() -> {
        queuedWrites.decrementAndGet();
        doWrite(buf, n, callback);
      });
    }
  }

  private void doWrite(ByteBuf buf, int n, WriteCallback callback) {
    if (destroyed || endCalled) {
      buf.release();
      pending.addAndGet(-n);
      bytesWritten.addAndGet(-n); // Node counts only the bytes write() accepted
      // Node: "ended" wins over "destroyed" (writeAfterFIN's EPIPE, then ERR_STREAM_WRITE_AFTER_END).
      NetException e = endCalled ? afterEndError() : closedError();
      complete(callback, e);
      destroyInternal(destroyed ? null : e);
      return;
    }
    if (connecting) {
      preConnect.add(new PendingWrite(buf, n, callback));
      return;
    }
    channelWrite(buf, n, callback);
  }

  private void channelWrite(ByteBuf buf, int n, WriteCallback callback) {
    Channel ch = channel;
    outstanding++;
    ChannelPromise promise = ch.newPromise();
    promise.addListener(f -> writeDone(n, callback, f.cause()));
    FlushBatch batch = FlushBatch.current();
    if (batch.isActive()) {
      ch.write(buf, promise);
      if (pending.get() > options.highWaterMark()) {
        ch.flush(); // do not hold more than the high-water mark back for the end of the read batch
      } else {
        batch.add(ch);
      }
    } else {
      ch.writeAndFlush(buf, promise);
    }
  }

  private void writeDone(int n, WriteCallback callback, Throwable cause) {
    outstanding--;
    long left = pending.addAndGet(-n);
    if (cause == null) {
      idle.touch();
      complete(callback, null);
    } else {
      NetException e = destroyed ? closedError() : SystemErrors.map(cause, "write", "");
      complete(callback, e);
      destroyInternal(e);
    }
    if (left == 0) {
      if (needDrain.compareAndSet(true, false)) {
        loop.execute(this::emitDrain);
      }
      runDrainWaiters();
    }
    if (outstanding == 0 && endCalled && !destroyed && !connecting && preConnect.isEmpty()) {
      shutdownOutput();
    }
  }

  private void whenDrained(Runnable r) {
    run(() -> {
      if (pending.get() == 0 || destroyed) {
        r.run();
      } else {
        drainWaiters.add(r);
      }
    });
  }

  private void runDrainWaiters() {
    if (drainWaiters.isEmpty()) {
      return;
    }
    Runnable[] waiters = drainWaiters.toArray(new Runnable[0]);
    drainWaiters.clear();
    for (Runnable r : waiters) {
      r.run();
    }
  }

  /** As Node's Writable: no {@code drain} once the writable side is ending ({@code needDrain && !ending}). */
  private void emitDrain() {
    if (!destroyed && !writableEnded) {
      drainListeners.forEach(this::safely);
    }
  }

  private void complete(WriteCallback callback, NetException e) {
    if (callback != null) {
      Optional<NetException> outcome = Optional.ofNullable(e);
      loop.execute(() -> safely(() -> callback.done(outcome)));
    }
  }

  private NetException closedError() {
    return connecting
        ? NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION)
        : NetException.of(ErrorCode.ERR_SOCKET_CLOSED);
  }

  private NetException afterEndError() {
    return endedByPeer
        ? NetException.withMessage(ErrorCode.EPIPE, "write", "", "write EPIPE: This socket has been ended by the other party")
        : NetException.of(ErrorCode.ERR_STREAM_WRITE_AFTER_END);
  }

  @Override
  public void end() {
    writableEnded = true;
    if (loop.inEventLoop() && queuedWrites.get() == 0) {
      doEnd();
    } else {
      loop.execute(this::doEnd); // after every write queued before it, from any thread
    }
  }

  @Override
  public void end(ByteBuffer data) {
    write(data);
    end();
  }

  @Override
  public void end(String data) {
    write(data);
    end();
  }

  private void doEnd() {
    if (destroyed || endCalled) {
      return;
    }
    endCalled = true;
    writableEnded = true;
    if (!connecting && outstanding == 0) {
      shutdownOutput();
    }
  }

  private void shutdownOutput() {
    if (shutdownStarted) {
      return;
    }
    shutdownStarted = true;
    if (channel instanceof DuplexChannel dc) {
      dc.shutdownOutput().addListener(f -> {
        writeFinished = true;
        maybeClose();
      });
    } else {
      writeFinished = true;
      maybeClose();
    }
  }

  private void maybeClose() {
    if (!destroyed && endEmitted && writeFinished) {
      destroyInternal(null);
    }
  }

  // ---------------------------------------------------------------- teardown

  void onFailure(Throwable cause, String syscall) {
    if (!destroyed) {
      fail(SystemErrors.map(cause, syscall, ""));
    }
  }

  /**
   * The channel closed under us without an error: on transports that cannot half-close (NIO Unix sockets) that is
   * how the peer's EOF arrives. Unconsumed data is still delivered, then {@code end}, then {@code close}.
   */
  void onInactive() {
    if (destroyed) {
      return;
    }
    channelGone = true;
    readEnded = true;
    if (endEmitted) {
      destroyInternal(null);
    } else {
      drainInbox();
    }
  }

  private void fail(NetException e) {
    destroyInternal(e);
  }

  @Override
  public void destroy() {
    destroyRequested = true;
    run(() -> destroyInternal(null));
  }

  @Override
  public void destroy(NetException cause) {
    Objects.requireNonNull(cause, "cause");
    destroyRequested = true;
    run(() -> destroyInternal(cause));
  }

  @Override
  public void resetAndDestroy() {
    if (transport != null && !transport.capabilities(target != null ? target : localAddress.orElse(null),
        engine.name()).contains(Capability.RESET)) {
      throw new UnsupportedOperationException(
          "ERR_INVALID_HANDLE_TYPE: resetAndDestroy needs a TCP socket, not " + transport.scheme() + ":");
    }
    destroyRequested = true;
    run(() -> {
      if (destroyed) {
        return;
      }
      Channel ch = channel;
      if (ch == null || connecting) {
        destroyInternal(NetException.of(ErrorCode.ERR_SOCKET_CLOSED));
        return;
      }
      transport.armReset(ch);
      destroyInternal(null);
    });
  }

  private void destroyInternal(NetException err) {
    if (destroyed) {
      return;
    }
    boolean wasConnecting = connecting;
    destroyed = true;
    idle.cancel();
    ByteBuf b;
    while ((b = inbox.poll()) != null) {
      b.release();
    }
    inboxBytes = 0;
    PendingWrite w;
    while ((w = preConnect.poll()) != null) {
      w.buf().release();
      pending.addAndGet(-w.length());
      complete(w.callback(), NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
    if (err != null) {
      hadError = true;
      error = err;
    }
    if (wasConnecting) {
      connected.completeExceptionally(
          err != null ? err : NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
    connecting = false;
    if (err != null) {
      errorListeners.forEach(l -> safely(() -> l.accept(err)));
    }
    runDrainWaiters();
    Channel ch = channel;
    if (ch != null && ch.isOpen()) {
      ch.close();
    }
    loop.execute(this::finishClose);
  }

  private void finishClose() {
    if (closeEmitted) {
      return;
    }
    closeEmitted = true;
    if (server != null) {
      // Node counts the connection out when it is destroyed, so a listener of close already sees the new count.
      server.socketClosed(this);
    }
    boolean e = hadError;
    closeListeners.forEach(l -> safely(() -> l.accept(e)));
    closed.complete(e);
    synchronized (refLock) {
      if (refd) {
        refd = false;
        engine.unref();
      }
    }
  }

  // ---------------------------------------------------------------- flow control, options

  @Override
  public void pause() {
    paused = true;
    run(this::updateReading);
  }

  @Override
  public void resume() {
    paused = false;
    run(this::drainInbox);
  }

  @Override
  public boolean isPaused() {
    return paused;
  }

  @Override
  public Socket pipe(Socket destination) {
    Objects.requireNonNull(destination, "destination");
    if (!(destination instanceof DefaultSocket d)) {
      throw new IllegalArgumentException("pipe needs a jnet socket");
    }
    run(() -> {
      pipes.add(d);
      drainInbox();
    });
    return destination;
  }

  @Override
  public Socket setTimeout(Duration idleTime) {
    Objects.requireNonNull(idleTime, "idle");
    if (idleTime.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + idleTime);
    }
    long nanos = idleTime.toNanos();
    run(() -> {
      if (!destroyed) {
        idle.arm(nanos);
      }
    });
    return this;
  }

  private void emitTimeout() {
    if (!destroyed) {
      timeoutListeners.forEach(this::safely);
    }
  }

  @Override
  public Socket setNoDelay(boolean value) {
    run(() -> {
      noDelay = value;
      applyOptions();
    });
    return this;
  }

  @Override
  public Socket setKeepAlive(boolean enable, Duration initialDelay) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    run(() -> {
      keepAlive = enable;
      keepAliveSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(0, initialDelay.toSeconds()));
      applyOptions();
    });
    return this;
  }

  private void applyOptions() {
    Channel ch = channel;
    if (ch != null && ch.isOpen() && transport != null) {
      transport.configure(ch, noDelay, keepAlive, keepAliveSeconds);
    }
  }

  @Override
  public Socket setEncoding(Charset charset) {
    Objects.requireNonNull(charset, "charset");
    run(() -> decoder = new TextDecoder(charset));
    return this;
  }

  // ---------------------------------------------------------------- state

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public long bytesWritten() {
    return bytesWritten.get();
  }

  @Override
  public long bufferSize() {
    return pending.get();
  }

  @Override
  public Optional<Endpoint> localAddress() {
    return localAddress;
  }

  @Override
  public Optional<Endpoint> remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return credentials;
  }

  @Override
  public ReadyState readyState() {
    if (destroyed || destroyRequested) {
      return ReadyState.CLOSED;
    }
    if (connecting) {
      return ReadyState.OPENING;
    }
    boolean readable = !endEmitted;
    boolean writable = !writableEnded;
    if (readable && writable) {
      return ReadyState.OPEN;
    }
    if (readable) {
      return ReadyState.READ_ONLY;
    }
    return writable ? ReadyState.WRITE_ONLY : ReadyState.CLOSED;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed || destroyRequested;
  }

  @Override
  public CompletionStage<Socket> connected() {
    return connected.minimalCompletionStage();
  }

  @Override
  public CompletionStage<Boolean> closed() {
    return closed.minimalCompletionStage();
  }

  @Override
  public Socket unref() {
    synchronized (refLock) {
      if (refd) {
        refd = false;
        engine.unref();
      }
    }
    return this;
  }

  @Override
  public Socket ref() {
    synchronized (refLock) {
      if (!refd && !closed.isDone()) {
        refd = true;
        engine.ref();
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- listeners

  @Override
  public Registration onConnect(Runnable listener) {
    return sticky(connectListeners, listener, () -> connectEmitted, () -> listener.run());
  }

  @Override
  public Registration onReady(Runnable listener) {
    return sticky(readyListeners, listener, () -> connectEmitted, () -> listener.run());
  }

  @Override
  public Registration onData(Consumer<ByteBuffer> listener) {
    return sticky(dataListeners, listener, () -> true, this::drainInbox);
  }

  @Override
  public Registration onText(Consumer<String> listener) {
    return sticky(textListeners, listener, () -> true, this::drainInbox);
  }

  @Override
  public Registration onEnd(Runnable listener) {
    return sticky(endListeners, listener, () -> endEmitted, () -> listener.run());
  }

  @Override
  public Registration onDrain(Runnable listener) {
    return sticky(drainListeners, listener, () -> false, null);
  }

  @Override
  public Registration onTimeout(Runnable listener) {
    return sticky(timeoutListeners, listener, () -> false, null);
  }

  @Override
  public Registration onError(Consumer<NetException> listener) {
    return sticky(errorListeners, listener, () -> error != null, () -> listener.accept(error));
  }

  @Override
  public Registration onClose(Consumer<Boolean> listener) {
    return sticky(closeListeners, listener, () -> closeEmitted, () -> listener.accept(hadError));
  }

  /**
   * Adds a listener on the loop; if its one-time event already happened, replays it there at once.
   */
  private <T> Registration sticky(Listeners<T> list, T listener, java.util.function.BooleanSupplier happened,
      Runnable replay) {
    Objects.requireNonNull(listener, "listener");
    AtomicBoolean removed = new AtomicBoolean();
    Registration[] reg = new Registration[1];
    run(() -> {
      if (removed.get()) {
        return;
      }
      reg[0] = list.add(listener);
      if (replay != null && happened.getAsBoolean()) {
        safely(replay);
      }
    });
    return () -> {
      removed.set(true);
      run(() -> {
        if (reg[0] != null) {
          reg[0].close();
        }
      });
    };
  }

  // ---------------------------------------------------------------- helpers

  private void run(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  private void safely(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException | Error e) {
      Log.get().log(Level.WARNING, "a jnet socket listener threw; the socket carries on", e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public String toString() {
    return "Socket[" + remoteAddress.map(Endpoint::toString).orElse(target == null ? "?" : target.toString())
        + ", " + readyState() + "]";
  }
}
