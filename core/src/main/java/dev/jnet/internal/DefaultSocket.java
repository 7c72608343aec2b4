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
import dev.jnet.spi.SystemErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The one implementation of {@link Socket}: Node's event contract over a Netty channel that a
 * transport created. It owns the socket's life ({@link Phase}) and its teardown, and hands the rest
 * to parts that each own their state and state their thread rule: {@link Inbound} (the read side),
 * {@link Outbound} (the write side), {@link SocketEvents} (listeners), {@link ChannelSettings}
 * (options and addresses), {@link SocketFutures} ({@code connected()}, {@code closed()}) and, while
 * a client connects, a {@link Connector}.
 *
 * <p>Threads: every public method may be called on any thread. State is confined to the socket's
 * {@link #loop} unless its comment says otherwise; the phase is written only there and read
 * anywhere; what a caller must see at once ({@code destroy()}, {@code end()}) is a volatile of the
 * caller's own; the reference count changes by compare-and-set. Events are emitted only on the
 * loop, under no lock.
 *
 * <p>A server may hold many thousands of idle sockets, so beyond its parts a socket allocates only
 * what it uses: the inbox, the queues of writes before connect and of drain waiters, the idle
 * timer, the {@code connected()} and {@code closed()} futures and the {@link Endpoint}s of its
 * addresses are created on first use, and all its listeners share one table.
 */
public final class DefaultSocket implements Socket {
  /** The socket's life; it only moves forward, and only on the loop. */
  enum Phase {
    /** A client that has no connected channel yet. */
    CONNECTING,
    /** Connected (or accepted). */
    OPEN,
    /** Torn down: the channel is closing; {@code error} and {@code close} come on a later turn. */
    DESTROYED,
    /** The {@code close} listeners are running. */
    CLOSING,
    /** {@code close} was emitted: {@code closed()} completes and {@code ref()} does nothing. */
    CLOSED
  }

  private static final VarHandle REFD;

  static {
    try {
      REFD = MethodHandles.lookup().findVarHandle(DefaultSocket.class, "refd", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final EventLoop loop;
  final SocketEvents events = new SocketEvents(this);
  final Inbound in;
  final Outbound out;
  private final Engine engine;
  private final SocketOptions options;
  private final Endpoint target;
  private final DefaultServer server;
  private final ChannelTransport transport;
  private final ChannelSettings settings;
  private final SocketFutures futures = new SocketFutures(this);
  private volatile Channel channel;

  private volatile Phase phase;

  // Set by the calling thread in destroy(), so isDestroyed, readyState and write see it at once, as
  // in Node; the loop's destroyInternal follows.
  private volatile boolean destroyRequested;

  private boolean connectEmitted;
  private boolean errorEmitted;
  private NetException error; // the error the socket was destroyed with, if any

  private IdleTimer idle; // created by the first setTimeout (or timeout option) that is not zero
  private volatile long bytesRead;
  private volatile boolean refd = true; // REFD

  private DefaultSocket(
      Engine engine,
      EventLoop loop,
      SocketOptions options,
      Endpoint target,
      DefaultServer server,
      ChannelTransport transport,
      Phase phase,
      boolean paused) {
    this.engine = engine;
    this.loop = loop;
    this.options = options;
    this.target = target;
    this.server = server;
    this.transport = transport;
    this.phase = phase;
    this.in = new Inbound(this, options, paused);
    this.out = new Outbound(this, options);
    this.settings = new ChannelSettings(transport, options);
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
        new DefaultSocket(
            engine, engine.nextLoop(), options, endpoint, null, transport, Phase.CONNECTING, false);
    NetException transportError = missing;
    s.loop.execute(() -> s.startConnect(transportError));
    return s;
  }

  static DefaultSocket accepted(
      Engine engine,
      Channel ch,
      ChannelTransport transport,
      DefaultServer server,
      boolean pauseOnConnect) {
    SocketOptions o = server.childOptions();
    DefaultSocket s =
        new DefaultSocket(
            engine, ch.eventLoop(), o, null, server, transport, Phase.OPEN, pauseOnConnect);
    s.configure(ch);
    s.attach(ch);
    s.settings.cacheAddresses(ch);
    s.futures.connectSettled(null);
    s.in.updateReading();
    return s;
  }

  // ---------------------------------------------------------------- life

  boolean connecting() {
    return phase == Phase.CONNECTING;
  }

  /** True once torn down on the loop (the public {@link #isDestroyed} also counts a request). */
  boolean destroyed() {
    return phase.compareTo(Phase.DESTROYED) >= 0;
  }

  Channel channel() {
    return channel;
  }

  void attach(Channel ch) {
    ch.pipeline().addLast(new StreamAdapter(this));
    channel = ch;
  }

  void configure(Channel ch) {
    settings.configure(ch);
  }

  private void startConnect(NetException transportError) {
    if (destroyed()) {
      return;
    }
    if (transportError != null) {
      destroyInternal(transportError);
      return;
    }
    if (!options.timeout().isZero()) {
      armIdle(options.timeout().toNanos());
    }
    new Connector(this, engine, transport, target, options).start();
  }

  void onConnected() {
    Channel ch = channel;
    if (destroyed()) {
      ch.close();
      return;
    }
    phase = Phase.OPEN;
    settings.cacheAddresses(ch);
    touchIdle();
    in.updateReading();
    out.connected();
    connectEmitted = true;
    events.emit(SocketEvents.CONNECT);
    events.emit(SocketEvents.READY);
    futures.connectSettled(null);
    out.shutdownWhenDone(); // end() was called while connecting
  }

  // ---------------------------------------------------------------- from the channel

  void onRead(ByteBuf buf) {
    bytesRead += buf.readableBytes();
    touchIdle();
    in.onRead(buf);
  }

  void onReadComplete() {
    in.onReadComplete();
  }

  void onEof() {
    in.onEof();
  }

  void onFailure(Throwable cause, String syscall) {
    if (!destroyed()) {
      destroyInternal(SystemErrors.map(cause, syscall, ""));
    }
  }

  void onInactive() {
    if (!destroyed()) {
      in.onInactive();
    }
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
    return out.enqueue(buf, null);
  }

  private boolean copyAndEnqueue(ByteBuffer data, WriteCallback callback) {
    Objects.requireNonNull(data, "data");
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(data.remaining());
    buf.writeBytes(data.duplicate());
    return out.enqueue(buf, callback);
  }

  @Override
  public void end() {
    out.end();
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

  /** Closes once both sides are done: the peer's end was emitted and our output is shut down. */
  void maybeClose() {
    if (!destroyed() && in.ended() && out.finished()) {
      destroyInternal(null);
    }
  }

  // ---------------------------------------------------------------- teardown

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
          if (destroyed()) {
            return;
          }
          Channel ch = channel;
          if (ch == null || connecting()) {
            destroyInternal(NetException.of(ErrorCode.ERR_SOCKET_CLOSED));
            return;
          }
          transport.armReset(ch);
          destroyInternal(null);
        });
  }

  /**
   * Tears the socket down now; {@code error} and {@code close} follow on a later turn. Loop only.
   */
  void destroyInternal(NetException err) {
    if (destroyed()) {
      return;
    }
    boolean wasConnecting = connecting();
    phase = Phase.DESTROYED;
    if (idle != null) {
      idle.cancel();
    }
    in.discard();
    out.discardPreConnect();
    if (err != null) {
      error = err;
    }
    if (wasConnecting) {
      futures.connectSettled(
          err != null ? err : NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
    out.runDrainWaiters();
    Channel ch = channel;
    if (ch != null && ch.isOpen()) {
      ch.close();
    }
    // As Node's destroy: the state changes now, 'error' and 'close' come on a later turn of the
    // loop, so no event is ever emitted inside a call the user is still in (write, end, destroy).
    loop.execute(this::finishClose);
  }

  private void finishClose() {
    if (phase != Phase.DESTROYED) {
      return;
    }
    NetException err = error;
    if (err != null) {
      errorEmitted = true;
      events.emit(SocketEvents.ERROR, err);
    }
    phase = Phase.CLOSING;
    if (server != null) {
      // Node counts the connection out when it is destroyed, so a listener of close already sees
      // the new count.
      server.socketClosed(this);
    }
    boolean hadError = err != null;
    events.emit(SocketEvents.CLOSE, hadError);
    phase = Phase.CLOSED;
    futures.closeSettled(hadError);
    if (REFD.compareAndSet(this, true, false)) {
      engine.unref();
    }
  }

  // ---------------------------------------------------------------- flow control, options

  @Override
  public void pause() {
    in.pause();
  }

  @Override
  public void resume() {
    in.resume();
  }

  @Override
  public boolean isPaused() {
    return in.isPaused();
  }

  @Override
  public Socket pipe(Socket destination) {
    Objects.requireNonNull(destination, "destination");
    if (!(destination instanceof DefaultSocket d)) {
      throw new IllegalArgumentException("pipe needs a jnet socket");
    }
    run(() -> in.addPipe(d));
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
          if (!destroyed()) {
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

  void touchIdle() {
    if (idle != null) {
      idle.touch();
    }
  }

  private void emitTimeout() {
    if (!destroyed()) {
      events.emit(SocketEvents.TIMEOUT);
    }
  }

  @Override
  public Socket setNoDelay(boolean value) {
    run(() -> settings.setNoDelay(value, channel));
    return this;
  }

  @Override
  public Socket setKeepAlive(boolean enable, Duration initialDelay) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(0, initialDelay.toSeconds()));
    run(() -> settings.setKeepAlive(enable, seconds, channel));
    return this;
  }

  @Override
  public Socket setEncoding(Charset charset) {
    Objects.requireNonNull(charset, "charset");
    run(() -> in.setEncoding(charset));
    return this;
  }

  // ---------------------------------------------------------------- state

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public long bytesWritten() {
    return out.bytesWritten();
  }

  @Override
  public long bufferSize() {
    return out.pending();
  }

  @Override
  public Optional<Endpoint> localAddress() {
    return settings.localAddress();
  }

  @Override
  public Optional<Endpoint> remoteAddress() {
    return settings.remoteAddress();
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return settings.peerCredentials();
  }

  @Override
  public ReadyState readyState() {
    if (isDestroyed()) {
      return ReadyState.CLOSED;
    }
    if (connecting()) {
      return ReadyState.OPENING;
    }
    boolean readable = !in.ended();
    boolean writable = !out.writableEnded();
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
    return destroyRequested || destroyed();
  }

  @Override
  public CompletionStage<Socket> connected() {
    return futures.connected();
  }

  @Override
  public CompletionStage<Boolean> closed() {
    return futures.closed();
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
    if (phase != Phase.CLOSED && REFD.compareAndSet(this, false, true)) {
      engine.ref();
      // finishClose may have run meanwhile and found nothing to unref: whoever clears refd unrefs.
      if (phase == Phase.CLOSED && REFD.compareAndSet(this, true, false)) {
        engine.unref();
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- listeners

  @Override
  public Registration onConnect(Runnable listener) {
    return events.register(SocketEvents.CONNECT, listener, () -> connectEmitted, listener);
  }

  @Override
  public Registration onReady(Runnable listener) {
    return events.register(SocketEvents.READY, listener, () -> connectEmitted, listener);
  }

  @Override
  public Registration onData(Consumer<ByteBuffer> listener) {
    return events.register(SocketEvents.DATA, listener, () -> true, in::drain);
  }

  @Override
  public Registration onText(Consumer<String> listener) {
    return events.register(SocketEvents.TEXT, listener, () -> true, in::drain);
  }

  @Override
  public Registration onEnd(Runnable listener) {
    return events.register(SocketEvents.END, listener, in::ended, listener);
  }

  @Override
  public Registration onDrain(Runnable listener) {
    return events.register(SocketEvents.DRAIN, listener, () -> false, null);
  }

  @Override
  public Registration onTimeout(Runnable listener) {
    return events.register(SocketEvents.TIMEOUT, listener, () -> false, null);
  }

  @Override
  public Registration onError(Consumer<NetException> listener) {
    return events.register(
        SocketEvents.ERROR, listener, () -> errorEmitted, () -> listener.accept(error));
  }

  @Override
  public Registration onClose(Consumer<Boolean> listener) {
    return events.register(
        SocketEvents.CLOSE,
        listener,
        () -> phase.compareTo(Phase.CLOSING) >= 0,
        () -> listener.accept(error != null));
  }

  // ---------------------------------------------------------------- helpers

  /** Runs a task on the loop: at once when called there. */
  void run(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  static NetException listenerError(Error e) {
    return SocketEvents.listenerError(e);
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
