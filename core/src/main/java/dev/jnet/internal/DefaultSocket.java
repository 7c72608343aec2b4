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
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.Log;
import dev.jnet.spi.SystemErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * The one implementation of {@link Socket}: every rule of Node's event contract lives here, over a
 * Netty channel that a transport created. Loop-confined state is touched only on {@link #loop}; the
 * few fields read from other threads are volatile, updated atomically through {@link VarHandle}s
 * where several threads write them.
 *
 * <p>A server may hold many thousands of idle sockets, so a socket allocates only what it uses: the
 * inbox, the queues of writes before connect and of drain waiters, the idle timer, the {@code
 * connected()} and {@code closed()} futures and the {@link Endpoint}s of its addresses are created
 * on first use, and all its listeners share one table.
 */
public final class DefaultSocket implements Socket {

  private static final Listeners.Event<Runnable> CONNECT = new Listeners.Event<>("connect");
  private static final Listeners.Event<Runnable> READY = new Listeners.Event<>("ready");
  private static final Listeners.Event<Consumer<ByteBuffer>> DATA = new Listeners.Event<>("data");
  private static final Listeners.Event<Consumer<String>> TEXT = new Listeners.Event<>("text");
  private static final Listeners.Event<Runnable> END = new Listeners.Event<>("end");
  private static final Listeners.Event<Runnable> DRAIN = new Listeners.Event<>("drain");
  private static final Listeners.Event<Runnable> TIMEOUT = new Listeners.Event<>("timeout");
  private static final Listeners.Event<Consumer<NetException>> ERROR =
      new Listeners.Event<>("error");
  private static final Listeners.Event<Consumer<Boolean>> CLOSE = new Listeners.Event<>("close");

  private static final DefaultSocket[] NO_PIPES = new DefaultSocket[0];
  private static final VarHandle PENDING;
  private static final VarHandle BYTES_WRITTEN;
  private static final VarHandle QUEUED_WRITES;
  private static final VarHandle NEED_DRAIN;
  private static final VarHandle REFD;
  private static final VarHandle CONNECTED;
  private static final VarHandle CLOSED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PENDING = l.findVarHandle(DefaultSocket.class, "pending", long.class);
      BYTES_WRITTEN = l.findVarHandle(DefaultSocket.class, "bytesWritten", long.class);
      QUEUED_WRITES = l.findVarHandle(DefaultSocket.class, "queuedWrites", int.class);
      NEED_DRAIN = l.findVarHandle(DefaultSocket.class, "needDrain", boolean.class);
      REFD = l.findVarHandle(DefaultSocket.class, "refd", boolean.class);
      CONNECTED = l.findVarHandle(DefaultSocket.class, "connected", CompletableFuture.class);
      CLOSED = l.findVarHandle(DefaultSocket.class, "closed", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final EventLoop loop;
  private final Engine engine;
  private final SocketOptions options;
  private final Endpoint target;
  private final DefaultServer server;
  private final ChannelTransport transport;
  private final NetException transportError;
  private volatile Channel channel;

  private volatile boolean connecting;
  private volatile boolean destroyed;
  private volatile boolean endCalled;
  // Set by the calling thread in end(), so readyState and write's return value see it at once, as
  // in Node.
  private volatile boolean writableEnded;
  // Set by the calling thread in destroy(), so isDestroyed, readyState and write see it at once, as
  // in Node.
  private volatile boolean destroyRequested;
  private volatile boolean endEmitted;
  private volatile boolean paused;

  /**
   * Set before the end listeners run when the automatic end follows: other threads' writes now come
   * too late.
   */
  private volatile boolean autoEnding;

  private boolean shutdownStarted;
  private boolean writeFinished;
  private boolean readEnded;
  private boolean channelGone;
  private boolean closeEmitted;
  private boolean errorEmitted;

  /**
   * Set after the close listeners ran: {@code closed()} completes and {@code ref()} is a no-op from
   * then on.
   */
  private volatile boolean closeDone;

  private boolean connectEmitted;
  private boolean hadError;
  private NetException error;
  private boolean reading = true;
  private boolean pipeBlocked;
  private boolean noDelay;
  private boolean keepAlive;
  private int keepAliveSeconds;

  private ArrayDeque<ByteBuf> inbox; // created by the first read that nobody consumes at once
  private long inboxBytes;
  private DefaultSocket[] pipes = NO_PIPES; // copy-on-write, loop-confined
  private ArrayDeque<PendingWrite> preConnect; // created by the first write before connect
  private ArrayList<Runnable> drainWaiters; // created by the first pipe that waits for a drain
  private int outstanding;
  private volatile long pending; // PENDING
  private volatile int queuedWrites; // QUEUED_WRITES
  private volatile long bytesWritten; // BYTES_WRITTEN
  private volatile boolean needDrain; // NEED_DRAIN
  private volatile long bytesRead;

  private IdleTimer
      idle; // created by the first setTimeout (or the timeout option) that is not zero
  private TextDecoder decoder;

  // The channel's addresses are known once connected; their Endpoints are made on first ask.
  private volatile boolean addressed;
  private volatile Optional<Endpoint> localAddress;
  private volatile Optional<Endpoint> remoteAddress;
  private volatile PeerCredentials credentials;

  private volatile boolean refd = true; // REFD

  private final Listeners listeners = new Listeners();
  // The outcome of connecting: null while connecting, then this socket or the NetException it
  // failed with.
  private volatile Object connectOutcome;
  private volatile CompletableFuture<Socket> connected; // CONNECTED, created when asked
  private volatile CompletableFuture<Boolean> closed; // CLOSED, created when asked

  private record PendingWrite(ByteBuf buf, int length, WriteCallback callback) {}

  private DefaultSocket(
      Engine engine,
      EventLoop loop,
      SocketOptions options,
      Endpoint target,
      DefaultServer server,
      ChannelTransport transport,
      NetException transportError) {
    this.engine = engine;
    this.loop = loop;
    this.options = options;
    this.target = target;
    this.server = server;
    this.transport = transport;
    this.transportError = transportError;
    this.noDelay = options.noDelay();
    this.keepAlive = options.keepAlive();
    this.keepAliveSeconds = ChannelTransport.keepAliveSeconds(options);
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
    ChannelTransport transport = null;
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
      Engine engine,
      Channel ch,
      ChannelTransport transport,
      DefaultServer server,
      boolean pauseOnConnect) {
    SocketOptions o = server.childOptions();
    DefaultSocket s = new DefaultSocket(engine, ch.eventLoop(), o, null, server, transport, null);
    s.paused = pauseOnConnect;
    s.channel = ch;
    transport.configure(ch, s.noDelay, s.keepAlive, s.keepAliveSeconds);
    ch.pipeline().addLast(new StreamAdapter(s));
    s.cacheAddresses(ch);
    s.connectOutcome = s;
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
      armIdle(options.timeout().toNanos());
    }
    transport
        .remoteAddress(engine, target)
        .whenComplete(
            (addr, err) ->
                run(
                    () -> {
                      if (err != null) {
                        fail(SystemErrors.map(err, "connect", target.address()));
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
      ch.config()
          .setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, ms));
      transport.configure(ch, noDelay, keepAlive, keepAliveSeconds);
    } catch (RuntimeException
        | LinkageError
            e) { // LinkageError: a native library or class the transport needs is missing
      fail(SystemErrors.map(e, "connect", target.address()));
      return;
    }
    if (!requirePeer(ch)) {
      return;
    }
    ch.pipeline().addLast(new StreamAdapter(this));
    channel = ch;
    loop.register(ch)
        .addListener(
            rf -> {
              if (!rf.isSuccess()) {
                fail(SystemErrors.map(rf.cause(), "connect", target.address()));
              } else if (destroyed) {
                ch.close();
              } else if (ch.isActive()) {
                onConnected(); // a descriptor that was connected already (fd:N)
              } else {
                ch.connect(address)
                    .addListener(
                        cf -> {
                          if (cf.isSuccess()) {
                            onConnected();
                          } else {
                            fail(SystemErrors.map(cf.cause(), "connect", target.address()));
                          }
                        });
              }
            });
  }

  /**
   * Installs the check of {@link SocketOptions#withPeerUid}/{@code withPeerGid} ({@link
   * PeerRequirement}) on a new client channel; where the transport cannot report credentials, fails
   * the connect before any is attempted.
   *
   * @return false if the connect failed
   */
  private boolean requirePeer(Channel ch) {
    NetException refused = PeerRequirement.install(ch, transport, engine.name(), target, options);
    if (refused != null) {
      ch.unsafe().closeForcibly();
      fail(refused);
    }
    return refused == null;
  }

  private void onConnected() {
    Channel ch = channel;
    if (destroyed) {
      ch.close();
      return;
    }
    connecting = false;
    cacheAddresses(ch);
    touchIdle();
    updateReading();
    // The writes made while connecting go to the channel before any listener can write: a write
    // made in a connect
    // listener comes after them, as in Node.
    PendingWrite w;
    while (!destroyed && preConnect != null && (w = preConnect.poll()) != null) {
      channelWrite(w.buf(), w.length(), w.callback());
    }
    connectEmitted = true;
    listeners.forEach(CONNECT, this::safely);
    listeners.forEach(READY, this::safely);
    settleConnect(this);
    if (endCalled && !destroyed && outstanding == 0) {
      shutdownOutput();
    }
  }

  /**
   * Notes that the addresses are known. Netty keeps them (asking once fills its cache, so they stay
   * readable after close on every transport); they become {@link Endpoint}s only when asked. The
   * peer's credentials are read now: the admission rules need them, and they cannot be read once
   * the descriptor is closed.
   */
  private void cacheAddresses(Channel ch) {
    ch.localAddress();
    ch.remoteAddress();
    credentials = transport.peerCredentials(ch).orElse(null);
    addressed = true;
  }

  // ---------------------------------------------------------------- reading

  void onRead(ByteBuf buf) {
    int n = buf.readableBytes();
    bytesRead += n;
    touchIdle();
    if (destroyed) {
      buf.release();
      return;
    }
    if (inboxIsEmpty() && !paused && hasConsumer()) {
      dispatch(buf);
    } else {
      if (inbox == null) {
        inbox = new ArrayDeque<>(2);
      }
      inbox.add(buf);
      inboxBytes += n;
      BufferBudget.add(n);
      if (inboxBytes >= options.highWaterMark() || BufferBudget.isPressured()) {
        updateReading();
      }
    }
  }

  void onReadComplete() {
    if (destroyed) {
      return;
    }
    for (DefaultSocket d : pipes) {
      if (!pipeBlocked && d.pending > d.options.highWaterMark()) {
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
    return pipes.length > 0 || !listeners.isEmpty(DATA) || !listeners.isEmpty(TEXT);
  }

  private boolean inboxIsEmpty() {
    return inbox == null || inbox.isEmpty();
  }

  private void drainInbox() {
    while (!paused && !destroyed && !inboxIsEmpty() && hasConsumer()) {
      ByteBuf b = inbox.poll();
      inboxBytes -= b.readableBytes();
      BufferBudget.add(-b.readableBytes());
      dispatch(b);
    }
    if (inboxIsEmpty() && readEnded && !endEmitted && !paused && !destroyed) {
      emitEnd();
    }
    updateReading();
  }

  private void dispatch(ByteBuf buf) {
    boolean handedOver = false;
    try {
      if (!listeners.isEmpty(DATA)) {
        listeners.forEach(DATA, l -> deliverCopy(buf, l));
      }
      if (!listeners.isEmpty(TEXT)) {
        String text = decoder().decode(buf);
        if (!text.isEmpty()) {
          listeners.forEach(TEXT, l -> safely(() -> l.accept(text)));
        }
      }
      DefaultSocket[] ps = pipes;
      for (int i = ps.length - 1; i >= 0; i--) {
        DefaultSocket d = ps[i];
        if (d.destroyed) {
          removePipe(d);
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

  private void removePipe(DefaultSocket d) {
    DefaultSocket[] ps = pipes;
    for (int i = 0; i < ps.length; i++) {
      if (ps[i] == d) {
        DefaultSocket[] rest = new DefaultSocket[ps.length - 1];
        System.arraycopy(ps, 0, rest, 0, i);
        System.arraycopy(ps, i + 1, rest, i, ps.length - i - 1);
        pipes = rest.length == 0 ? NO_PIPES : rest;
        return;
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
    boolean want =
        !paused
            && !pipeBlocked
            && inboxBytes < Math.max(1, options.highWaterMark())
            && !(inboxBytes > 0
                && BufferBudget.isPressured()); // unconsumed bytes wait while the process is short
    if (want != reading) {
      reading = want;
      ch.config().setAutoRead(want);
    }
  }

  private void emitEnd() {
    endEmitted = true;
    autoEnding = !options.allowHalfOpen() && !endCalled;
    if (decoder != null && !listeners.isEmpty(TEXT)) {
      String rest = decoder.finish();
      if (!rest.isEmpty()) {
        listeners.forEach(TEXT, l -> safely(() -> l.accept(rest)));
      }
    }
    listeners.forEach(END, this::safely);
    for (DefaultSocket d : pipes) {
      d.end();
    }
    if (channelGone) {
      destroyInternal(null);
      return;
    }
    if (!options.allowHalfOpen() && !endCalled && !destroyed) {
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
    long p = addPending(n);
    addBytesWritten(n);
    boolean overBudget = BufferBudget.used() > BufferBudget.limit();
    if (p > options.maxBufferedBytes() || overBudget) {
      addPending(-n);
      addBytesWritten(-n);
      buf.release();
      NetException full =
          NetException.withMessage(
              ErrorCode.ERR_BUFFER_FULL,
              "write",
              "",
              overBudget
                  ? "ERR_BUFFER_FULL: the process holds more than "
                      + BufferBudget.limit()
                      + " buffered bytes over all sockets (-Djnet.maxBufferedBytes); wait for drain when write returns false"
                  : "ERR_BUFFER_FULL: more than "
                      + options.maxBufferedBytes()
                      + " bytes buffered; wait for drain when write returns false");
      run(
          () -> {
            complete(callback, full);
            destroyInternal(full);
          });
      return false;
    }
    boolean ok = p < options.highWaterMark() && !BufferBudget.isPressured();
    if (!ok) {
      needDrain = true;
    }
    ok =
        ok
            && !writableEnded
            && !destroyed
            && !destroyRequested
            && !(autoEnding && !loop.inEventLoop());
    submitWrite(buf, n, callback);
    return ok;
  }

  /** Writes a buffer this socket now owns (the pipe path: no copy, no hard cap). */
  void writeOwned(ByteBuf buf) {
    int n = buf.readableBytes();
    addPending(n);
    addBytesWritten(n);
    submitWrite(buf, n, null);
  }

  /**
   * Runs a write on the loop in call order: a write made on the loop goes at once unless writes
   * from other threads are still queued, so a write ordered after another thread's write (by a
   * lock, say) never overtakes it.
   */
  private void submitWrite(ByteBuf buf, int n, WriteCallback callback) {
    if (loop.inEventLoop() && queuedWrites == 0) {
      doWrite(buf, n, callback);
    } else {
      QUEUED_WRITES.getAndAdd(this, 1);
      loop.execute(
          () -> {
            QUEUED_WRITES.getAndAdd(this, -1);
            doWrite(buf, n, callback);
          });
    }
  }

  private void doWrite(ByteBuf buf, int n, WriteCallback callback) {
    if (destroyed || endCalled) {
      buf.release();
      addPending(-n);
      addBytesWritten(-n); // Node counts only the bytes write() accepted
      // Node: "ended" wins over "destroyed" (writeAfterFIN's EPIPE, then
      // ERR_STREAM_WRITE_AFTER_END).
      NetException e = endCalled ? afterEndError() : closedError();
      complete(callback, e);
      destroyInternal(destroyed ? null : e);
      return;
    }
    if (connecting) {
      if (preConnect == null) {
        preConnect = new ArrayDeque<>(2);
      }
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
      if (pending > options.highWaterMark()) {
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
    long left = addPending(-n);
    if (cause == null) {
      touchIdle();
      complete(callback, null);
    } else {
      NetException e = destroyed ? closedError() : SystemErrors.map(cause, "write", "");
      complete(callback, e);
      destroyInternal(e);
    }
    if (left == 0) {
      if (NEED_DRAIN.compareAndSet(this, true, false)) {
        loop.execute(this::emitDrain);
      }
      runDrainWaiters();
    }
    if (outstanding == 0
        && endCalled
        && !destroyed
        && !connecting
        && (preConnect == null || preConnect.isEmpty())) {
      shutdownOutput();
    }
  }

  private void whenDrained(Runnable r) {
    run(
        () -> {
          if (pending == 0 || destroyed) {
            r.run();
          } else {
            if (drainWaiters == null) {
              drainWaiters = new ArrayList<>(1);
            }
            drainWaiters.add(r);
          }
        });
  }

  private void runDrainWaiters() {
    if (drainWaiters == null || drainWaiters.isEmpty()) {
      return;
    }
    Runnable[] waiters = drainWaiters.toArray(new Runnable[0]);
    drainWaiters.clear();
    for (Runnable r : waiters) {
      r.run();
    }
  }

  /**
   * As Node's Writable: no {@code drain} once the writable side is ending ({@code needDrain &&
   * !ending}).
   */
  private void emitDrain() {
    if (!destroyed && !writableEnded) {
      listeners.forEach(DRAIN, this::safely);
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

  /**
   * As Node's {@code writeAfterFIN}: once the peer's end arrived on a socket that is not half-open,
   * a late write is {@code EPIPE}, whoever ended first; otherwise it is a write after our own
   * {@code end()}.
   */
  private NetException afterEndError() {
    return endEmitted && !options.allowHalfOpen()
        ? NetException.withMessage(
            ErrorCode.EPIPE, "write", "", "This socket has been ended by the other party")
        : NetException.of(ErrorCode.ERR_STREAM_WRITE_AFTER_END);
  }

  @Override
  public void end() {
    writableEnded = true;
    if (loop.inEventLoop() && queuedWrites == 0) {
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
      dc.shutdownOutput()
          .addListener(
              f -> {
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
   * The channel closed under us without an error: on transports that cannot half-close (NIO Unix
   * sockets) that is how the peer's EOF arrives. Unconsumed data is still delivered, then {@code
   * end}, then {@code close}.
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
    if (transport != null
        && !transport
            .capabilities(target != null ? target : localAddress().orElse(null), engine.name())
            .contains(Capability.RESET)) {
      throw new UnsupportedOperationException(
          "ERR_INVALID_HANDLE_TYPE: resetAndDestroy needs a TCP socket, not "
              + transport.scheme()
              + ":");
    }
    destroyRequested = true;
    run(
        () -> {
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
    if (idle != null) {
      idle.cancel();
    }
    ByteBuf b;
    while (inbox != null && (b = inbox.poll()) != null) {
      b.release();
    }
    BufferBudget.add(-inboxBytes);
    inboxBytes = 0;
    PendingWrite w;
    while (preConnect != null && (w = preConnect.poll()) != null) {
      w.buf().release();
      addPending(-w.length());
      complete(w.callback(), NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
    if (err != null) {
      hadError = true;
      error = err;
    }
    if (wasConnecting) {
      settleConnect(
          err != null ? err : NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
    connecting = false;
    runDrainWaiters();
    Channel ch = channel;
    if (ch != null && ch.isOpen()) {
      ch.close();
    }
    // As Node's destroy: the state changes now, 'error' and 'close' come on a later turn of the
    // loop, so no event is
    // ever emitted inside a call the user is still in (write, end, destroy).
    loop.execute(this::finishClose);
  }

  private void finishClose() {
    if (closeEmitted) {
      return;
    }
    NetException err = error;
    if (err != null) {
      errorEmitted = true;
      listeners.forEach(ERROR, l -> safely(() -> l.accept(err)));
    }
    closeEmitted = true;
    if (server != null) {
      // Node counts the connection out when it is destroyed, so a listener of close already sees
      // the new count.
      server.socketClosed(this);
    }
    boolean e = hadError;
    listeners.forEach(CLOSE, l -> safely(() -> l.accept(e)));
    closeDone = true;
    CompletableFuture<Boolean> f = closed;
    if (f != null) {
      f.complete(e);
    }
    if (REFD.compareAndSet(this, true, false)) {
      engine.unref();
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
    loop.execute(
        this::drainInbox); // as Node's resume: data flows from a later turn, never inside this call
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
    run(
        () -> {
          DefaultSocket[] ps = Arrays.copyOf(pipes, pipes.length + 1);
          ps[ps.length - 1] = d;
          pipes = ps;
          loop.execute(this::drainInbox);
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
    run(
        () -> {
          if (!destroyed) {
            armIdle(nanos);
          }
        });
    return this;
  }

  private void armIdle(long nanos) {
    if (idle == null) {
      if (nanos == 0) {
        return;
      }
      idle = new IdleTimer(loop, this::emitTimeout);
    }
    idle.arm(nanos);
  }

  private void touchIdle() {
    if (idle != null) {
      idle.touch();
    }
  }

  private void emitTimeout() {
    if (!destroyed) {
      listeners.forEach(TIMEOUT, this::safely);
    }
  }

  @Override
  public Socket setNoDelay(boolean value) {
    run(
        () -> {
          noDelay = value;
          applyOptions();
        });
    return this;
  }

  @Override
  public Socket setKeepAlive(boolean enable, Duration initialDelay) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    run(
        () -> {
          keepAlive = enable;
          keepAliveSeconds =
              (int) Math.min(Integer.MAX_VALUE, Math.max(0, initialDelay.toSeconds()));
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
    return bytesWritten;
  }

  @Override
  public long bufferSize() {
    return pending;
  }

  @Override
  public Optional<Endpoint> localAddress() {
    Optional<Endpoint> a = localAddress;
    if (a == null) {
      if (!addressed) {
        return Optional.empty();
      }
      a = transport.toEndpoint(channel.localAddress());
      localAddress = a; // a race makes an equal value twice
    }
    return a;
  }

  @Override
  public Optional<Endpoint> remoteAddress() {
    Optional<Endpoint> a = remoteAddress;
    if (a == null) {
      if (!addressed) {
        return Optional.empty();
      }
      a = transport.toEndpoint(channel.remoteAddress());
      remoteAddress = a;
    }
    return a;
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return Optional.ofNullable(credentials);
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
    CompletableFuture<Socket> f = connected;
    if (f == null) {
      CONNECTED.compareAndSet(this, null, new CompletableFuture<Socket>());
      f = connected;
      // settleConnect writes the outcome, then reads the future; we wrote the future, now read the
      // outcome: one of
      // the two sees the other.
      Object outcome = connectOutcome;
      if (outcome != null) {
        settle(f, outcome);
      }
    }
    return f.minimalCompletionStage();
  }

  private void settleConnect(Object outcome) {
    connectOutcome = outcome;
    CompletableFuture<Socket> f = connected;
    if (f != null) {
      settle(f, outcome);
    }
  }

  private void settle(CompletableFuture<Socket> f, Object outcome) {
    if (outcome instanceof NetException e) {
      f.completeExceptionally(e);
    } else {
      f.complete(this);
    }
  }

  @Override
  public CompletionStage<Boolean> closed() {
    CompletableFuture<Boolean> f = closed;
    if (f == null) {
      CLOSED.compareAndSet(this, null, new CompletableFuture<Boolean>());
      f = closed;
      if (closeDone) { // as in connected(): finishClose sets closeDone, then reads the future
        f.complete(hadError);
      }
    }
    return f.minimalCompletionStage();
  }

  @Override
  public Socket unref() {
    if (REFD.compareAndSet(this, true, false)) {
      engine.unref();
    }
    return this;
  }

  @Override
  public Socket ref() {
    if (!closeDone && REFD.compareAndSet(this, false, true)) {
      engine.ref();
      // finishClose may have run meanwhile and found nothing to unref: whoever clears refd unrefs.
      if (closeDone && REFD.compareAndSet(this, true, false)) {
        engine.unref();
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- listeners

  @Override
  public Registration onConnect(Runnable listener) {
    return sticky(CONNECT, listener, () -> connectEmitted, () -> listener.run());
  }

  @Override
  public Registration onReady(Runnable listener) {
    return sticky(READY, listener, () -> connectEmitted, () -> listener.run());
  }

  @Override
  public Registration onData(Consumer<ByteBuffer> listener) {
    return sticky(DATA, listener, () -> true, this::drainInbox);
  }

  @Override
  public Registration onText(Consumer<String> listener) {
    return sticky(TEXT, listener, () -> true, this::drainInbox);
  }

  @Override
  public Registration onEnd(Runnable listener) {
    return sticky(END, listener, () -> endEmitted, () -> listener.run());
  }

  @Override
  public Registration onDrain(Runnable listener) {
    return sticky(DRAIN, listener, () -> false, null);
  }

  @Override
  public Registration onTimeout(Runnable listener) {
    return sticky(TIMEOUT, listener, () -> false, null);
  }

  @Override
  public Registration onError(Consumer<NetException> listener) {
    return sticky(ERROR, listener, () -> errorEmitted, () -> listener.accept(error));
  }

  @Override
  public Registration onClose(Consumer<Boolean> listener) {
    return sticky(CLOSE, listener, () -> closeEmitted, () -> listener.accept(hadError));
  }

  /**
   * Adds a listener on the loop; if its one-time event already happened, replays it there at once.
   */
  private <T> Registration sticky(
      Listeners.Event<T> event, T listener, BooleanSupplier happened, Runnable replay) {
    Objects.requireNonNull(listener, "listener");
    if (loop
        .inEventLoop()) { // a connection listener's usual case: no bookkeeping for a deferred add
      Registration r = listeners.add(event, listener);
      if (replay != null && happened.getAsBoolean()) {
        loop.execute(() -> safely(replay)); // never inside the registering call
      }
      return () -> run(r::close);
    }
    AtomicBoolean removed = new AtomicBoolean();
    Registration[] reg = new Registration[1];
    run(
        () -> {
          if (removed.get()) {
            return;
          }
          reg[0] = listeners.add(event, listener);
          if (replay != null && happened.getAsBoolean()) {
            safely(replay);
          }
        });
    return () -> {
      removed.set(true);
      run(
          () -> {
            if (reg[0] != null) {
              reg[0].close();
            }
          });
    };
  }

  // ---------------------------------------------------------------- helpers

  /** Counts buffered write bytes, in this socket and in the process-wide {@link BufferBudget}. */
  private long addPending(long n) {
    BufferBudget.add(n);
    return (long) PENDING.getAndAdd(this, n) + n;
  }

  private void addBytesWritten(long n) {
    BYTES_WRITTEN.getAndAdd(this, n);
  }

  private void run(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  /**
   * Runs a listener. An exception is logged and the socket carries on (Node would end the process);
   * an {@link Error} (out of memory, stack overflow) leaves the connection in an unknown state, so
   * it destroys the socket with an error event: never swallowed.
   */
  private void safely(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      Log.get().log(Level.WARNING, "a jnet socket listener threw; the socket carries on", e);
    } catch (Error e) {
      Log.get()
          .log(Level.SEVERE, "a jnet socket listener threw " + e + "; the socket is destroyed", e);
      destroyInternal(listenerError(e));
    }
  }

  static NetException listenerError(Error e) {
    ErrorCode code =
        e instanceof OutOfMemoryError ? ErrorCode.ENOMEM : ErrorCode.ERR_UNHANDLED_ERROR;
    return NetException.of(code, "", "", e);
  }

  @Override
  public String toString() {
    return "Socket["
        + remoteAddress().map(Endpoint::toString).orElse(target == null ? "?" : target.toString())
        + ", "
        + readyState()
        + "]";
  }
}
