package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.ReadyState;
import dev.jnet.Registration;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.WriteCallback;
import dev.jnet.spi.Capability;
import dev.jnet.spi.ChannelTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The one implementation of {@link Socket}: Node's event contract over a Netty channel that a
 * transport created. This class is the API: it checks arguments, hops to the socket's loop and
 * hands each call to the part that owns the state it changes, as Netty's channels hand theirs to
 * their {@code Unsafe}: {@link SocketLife} (the phase, the channel's events, connecting, teardown,
 * the idle timeout, the engine reference), {@link Inbound} (the read side), {@link Outbound} (the
 * write side), {@link SocketEvents} (listeners), {@link ChannelSettings} (options and addresses),
 * {@link SocketFutures} ({@code connected()}, {@code closed()}) and, while a client connects, a
 * {@link Connector}.
 *
 * <p>Threads: every public method may be called on any thread. Each part states its own rule; in
 * short, state is confined to the socket's {@link #loop}, what other threads read is volatile, and
 * what a caller must see at once ({@code destroy()}, {@code end()}) is written by the caller.
 * Events are emitted only on the loop, under no lock.
 *
 * <p>A server may hold many thousands of idle sockets, so beyond its parts a socket allocates only
 * what it uses: the inbox, the queues of writes before connect and of drain waiters, the idle
 * timer, the {@code connected()} and {@code closed()} futures and the {@link Endpoint}s of its
 * addresses are created on first use, and all its listeners share one table.
 */
public class DefaultSocket implements Socket {
  final EventLoop loop;
  final SocketEvents events = new SocketEvents(this);
  final Inbound in;
  final Outbound out;
  final SocketLife life;
  final TlsLayer tls; // null for a plain socket
  private final Engine engine;
  private final Endpoint target;
  private final ChannelTransport transport;
  private final ChannelSettings settings;
  private final SocketFutures futures = new SocketFutures(this);

  // Set by the calling thread in destroy(), so isDestroyed, readyState and write see it at once, as
  // in Node; the loop's teardown follows.
  private volatile boolean destroyRequested;

  DefaultSocket(
      Engine engine,
      EventLoop loop,
      SocketOptions options,
      Endpoint target,
      DefaultServer server,
      ChannelTransport transport,
      SocketLife.Phase phase,
      boolean paused,
      TlsLayer.Config tlsConfig) {
    this.tls = tlsConfig == null ? null : new TlsLayer(this, tlsConfig);
    this.engine = engine;
    this.loop = loop;
    this.target = target;
    this.transport = transport;
    this.in = new Inbound(this, options, paused);
    this.out = new Outbound(this, options);
    this.settings = new ChannelSettings(transport, options);
    this.life =
        new SocketLife(this, engine, options, target, server, transport, settings, futures, phase);
  }

  /** A plain socket, or a TLS one when {@code tls} is given. */
  private static DefaultSocket make(
      Engine engine,
      EventLoop loop,
      SocketOptions options,
      Endpoint target,
      DefaultServer server,
      ChannelTransport transport,
      SocketLife.Phase phase,
      boolean paused,
      TlsLayer.Config tls) {
    return tls == null
        ? new DefaultSocket(engine, loop, options, target, server, transport, phase, paused, null)
        : new DefaultTlsSocket(
            engine, loop, options, target, server, transport, phase, paused, tls);
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
    return connect(engine, endpoint, options, null);
  }

  /**
   * Starts a TLS client connection.
   *
   * @param engine the engine
   * @param endpoint where to connect
   * @param options the options
   * @param tls the client's TLS configuration
   * @return the connecting socket
   */
  public static DefaultTlsSocket connectTls(
      Engine engine, Endpoint endpoint, SocketOptions options, TlsLayer.ClientConfig tls) {
    return (DefaultTlsSocket) connect(engine, endpoint, options, tls);
  }

  private static DefaultSocket connect(
      Engine processEngine,
      Endpoint endpoint,
      SocketOptions options,
      TlsLayer.ClientConfig tlsConfig) {
    ChannelTransport transport = null;
    NetException missing = null;
    try {
      transport = processEngine.transport(endpoint);
    } catch (NetException e) {
      missing = e;
    }
    Engine engine = processEngine.forTransport(transport, endpoint);
    DefaultSocket s =
        make(
            engine,
            engine.nextLoop(),
            options,
            endpoint,
            null,
            transport,
            SocketLife.Phase.CONNECTING,
            false,
            tlsConfig);
    NetException transportError = missing;
    s.loop.execute(() -> s.life.startConnect(transportError));
    return s;
  }

  /**
   * Starts TLS on an open plain socket (STARTTLS): a new {@link DefaultTlsSocket} takes its
   * connection over on its loop; the plain socket emits {@code close(false)} without closing it.
   *
   * @param plain the open plain socket
   * @param config the TLS side to play
   * @return the TLS socket, handshaking
   * @throws IllegalArgumentException if {@code plain} is not a plain jnet socket
   */
  public static DefaultTlsSocket upgrade(dev.jnet.Socket plain, TlsLayer.Config config) {
    if (!(plain instanceof DefaultSocket p) || p.tls != null) {
      throw new IllegalArgumentException("STARTTLS needs a plain jnet socket: " + plain);
    }
    DefaultTlsSocket t =
        new DefaultTlsSocket(
            p.engine,
            p.loop,
            p.life.options(),
            p.target,
            null,
            p.transport,
            SocketLife.Phase.OPEN,
            p.in.isPaused(),
            config);
    p.run(
        () -> {
          java.util.List<ByteBuf> unread = p.in.takeUnread();
          Channel ch = p.life.handOver();
          if (ch == null) {
            unread.forEach(ByteBuf::release);
            t.life.destroyInternal(
                NetException.of(dev.jnet.ErrorCode.ERR_SOCKET_CLOSED, "starttls", "", null));
            return;
          }
          t.life.takeOver(ch, unread);
        });
    return t;
  }

  /**
   * Where a socket connected to as it was asked (a host name, not only its address), else its
   * remote address: the name a STARTTLS client verifies by default.
   *
   * @param s the socket
   * @return the endpoint, or null if unknown
   */
  public static Endpoint targetOf(dev.jnet.Socket s) {
    if (s instanceof DefaultSocket d && d.target != null) {
      return d.target;
    }
    return s.remoteAddress().orElse(null);
  }

  static DefaultSocket accepted(
      Engine engine,
      Channel ch,
      ChannelTransport transport,
      DefaultServer server,
      boolean pauseOnConnect,
      TlsLayer.ServerConfig tlsConfig) {
    DefaultSocket s =
        make(
            engine,
            ch.eventLoop(),
            server.childOptions(),
            null,
            server,
            transport,
            SocketLife.Phase.OPEN,
            pauseOnConnect,
            tlsConfig);
    s.life.accepted(ch);
    return s;
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

  // ---------------------------------------------------------------- teardown

  @Override
  public void destroy() {
    destroyRequested = true;
    run(() -> life.destroyInternal(null));
  }

  @Override
  public void destroy(NetException cause) {
    Objects.requireNonNull(cause, "cause");
    destroyRequested = true;
    run(() -> life.destroyInternal(cause));
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
    run(life::reset);
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
    run(() -> life.armIdle(nanos));
    return this;
  }

  @Override
  public Socket setNoDelay(boolean value) {
    run(() -> settings.setNoDelay(value, life.channel()));
    return this;
  }

  @Override
  public Socket setKeepAlive(boolean enable, Duration initialDelay) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(0, initialDelay.toSeconds()));
    run(() -> settings.setKeepAlive(enable, seconds, life.channel()));
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
    return in.bytesRead();
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
    if (life.connecting()) {
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
    return destroyRequested || life.destroyed();
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
    life.unref();
    return this;
  }

  @Override
  public Socket ref() {
    life.ref();
    return this;
  }

  // ---------------------------------------------------------------- listeners

  @Override
  public Registration onConnect(Runnable listener) {
    return events.register(SocketEvents.CONNECT, listener, life::connectEmitted, listener);
  }

  @Override
  public Registration onReady(Runnable listener) {
    return events.register(SocketEvents.READY, listener, life::connectEmitted, listener);
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
        SocketEvents.ERROR, listener, life::errorEmitted, () -> listener.accept(life.error()));
  }

  @Override
  public Registration onClose(Consumer<Boolean> listener) {
    return events.register(
        SocketEvents.CLOSE,
        listener,
        life::closeEmitted,
        () -> listener.accept(life.error() != null));
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
