package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.SocketOptions;
import dev.jnet.internal.tls.TlsErrors;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.SystemErrors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The life of one {@link DefaultSocket}, as Netty's {@code Channel.Unsafe} is to its channel: the
 * {@link Phase}, the channel and what it reports, the end of connecting, teardown with its {@code
 * error} and {@code close} events, the idle timeout and the reference that keeps the engine
 * running. {@link DefaultSocket} is the API that calls into it; the socket's other parts ask it
 * whether the socket is connecting or destroyed, and tear the socket down through it.
 *
 * <p>Threads: confined to the socket's loop, but for the phase (written on the loop, read on any
 * thread) and the reference (compare-and-set from any thread).
 */
final class SocketLife {
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
      REFD = MethodHandles.lookup().findVarHandle(SocketLife.class, "refd", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final DefaultSocket socket;
  private final Engine engine;
  private final SocketOptions options;
  private final Endpoint target;
  private final DefaultServer server;
  private final ChannelTransport transport;
  private final ChannelSettings settings;
  private final SocketFutures futures;
  private volatile Channel channel;
  private volatile Phase phase;
  private boolean connectEmitted;
  private boolean errorEmitted;
  private NetException error; // the error the socket was destroyed with, if any
  private IdleTimer idle; // created by the first setTimeout (or timeout option) that is not zero
  private volatile boolean refd = true; // REFD

  SocketLife(
      DefaultSocket socket,
      Engine engine,
      SocketOptions options,
      Endpoint target,
      DefaultServer server,
      ChannelTransport transport,
      ChannelSettings settings,
      SocketFutures futures,
      Phase phase) {
    this.socket = socket;
    this.engine = engine;
    this.options = options;
    this.target = target;
    this.server = server;
    this.transport = transport;
    this.settings = settings;
    this.futures = futures;
    this.phase = phase;
    engine.ref();
  }

  // ---------------------------------------------------------------- state

  boolean connecting() {
    return phase == Phase.CONNECTING;
  }

  /** True once torn down on the loop (the public {@code isDestroyed} also counts a request). */
  boolean destroyed() {
    return phase.compareTo(Phase.DESTROYED) >= 0;
  }

  boolean closeEmitted() {
    return phase.compareTo(Phase.CLOSING) >= 0;
  }

  boolean connectEmitted() {
    return connectEmitted;
  }

  boolean errorEmitted() {
    return errorEmitted;
  }

  NetException error() {
    return error;
  }

  Channel channel() {
    return channel;
  }

  // ---------------------------------------------------------------- the channel

  /** Makes a channel this socket's: its events come here through a {@link StreamAdapter}. */
  void attach(Channel ch) {
    if (socket.tls != null) {
      ch.pipeline().addLast(socket.tls.newHandler(ch));
    }
    ch.pipeline().addLast(new StreamAdapter(this));
    channel = ch;
  }

  /** An accepted channel: configured, attached, connected already. */
  void accepted(Channel ch) {
    settings.configure(ch);
    attach(ch);
    settings.cacheAddresses(ch);
    futures.connectSettled(null);
    socket.in.updateReading();
  }

  /** Starts connecting a client on the loop, or fails at once when no transport claimed it. */
  void startConnect(NetException transportError) {
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
    new Connector(socket, engine, transport, target, options, settings).start();
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
    socket.in.updateReading();
    socket.out.connected();
    connectEmitted = true;
    socket.events.emit(SocketEvents.CONNECT);
    socket.events.emit(SocketEvents.READY);
    futures.connectSettled(null);
    socket.out.shutdownWhenDone(); // end() was called while connecting
  }

  void onRead(ByteBuf buf) {
    touchIdle();
    socket.in.onRead(buf);
  }

  void onReadComplete() {
    socket.in.onReadComplete();
  }

  void onEof() {
    if (socket.tls != null && !socket.tls.isSecure() && !destroyed()) {
      // the peer ended before the handshake did: it never will (Node: ECONNRESET)
      socket.tls.handshakeDone(channel, new java.nio.channels.ClosedChannelException());
      return;
    }
    if (socket.tls != null && !socket.tls.firstEof()) {
      return; // the transport's EOF after the peer's close_notify, or the other way round
    }
    socket.in.onEof();
  }

  void onFailure(Throwable cause, String syscall) {
    if (destroyed()) {
      return;
    }
    if (socket.tls != null && !socket.tls.isSecure()) {
      socket.tls.handshakeDone(channel, cause); // whatever broke the handshake
    } else if (socket.tls != null && TlsErrors.isTls(cause)) {
      destroyInternal(TlsErrors.map(cause, endpointText()));
    } else {
      destroyInternal(SystemErrors.map(cause, syscall, ""));
    }
  }

  // ---------------------------------------------------------------- TLS

  boolean isTls() {
    return socket.tls != null;
  }

  /** An event of the TLS handlers (only a TLS socket's pipeline fires them). */
  void onTlsEvent(Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent h) {
      socket.tls.handshakeDone(channel, h.isSuccess() ? null : h.cause());
    } else if (evt instanceof SslCloseCompletionEvent c && c.isSuccess()) {
      onEof(); // the peer's close_notify: its end
    } else if (evt instanceof SniCompletionEvent sni) {
      if (sni.isSuccess()) {
        socket.tls.sniDone(sni.hostname());
      } else if (!destroyed()) {
        socket.tls.handshakeDone(channel, sni.cause()); // no ClientHello in time, or garbage
      }
    }
  }

  /** The handshake is done: a client emits {@code secureConnect}, a server's socket is served. */
  void tlsSecure() {
    if (destroyed()) {
      return;
    }
    if (server != null) {
      server.secured(socket);
    } else {
      socket.events.emit(SocketEvents.SECURE_CONNECT);
    }
  }

  /**
   * The handshake failed: a client's socket fails with the error; a server's is reported to the
   * server ({@code tlsClientError}) and goes without reaching its listeners.
   */
  void tlsFailed(NetException e) {
    if (destroyed()) {
      return;
    }
    if (server != null) {
      server.tlsClientError(withPeer(e));
      destroyInternal(null);
    } else {
      destroyInternal(e);
    }
  }

  private NetException withPeer(NetException e) {
    String peer = settings.remoteAddress().map(Endpoint::address).orElse("");
    return peer.isEmpty()
        ? e
        : NetException.withMessage(e.code(), e.syscall().orElse(""), peer, e.getMessage());
  }

  /** The endpoint for messages: where a client connects, whom a server's socket serves. */
  String endpointText() {
    if (target != null) {
      return target.address();
    }
    return settings.remoteAddress().map(Endpoint::address).orElse("");
  }

  void onInactive() {
    if (!destroyed()) {
      socket.in.onInactive();
    }
  }

  // ---------------------------------------------------------------- STARTTLS

  SocketOptions options() {
    return options;
  }

  /**
   * Gives this socket's connection to {@code next} (STARTTLS): takes its handler out of the
   * pipeline, hands it the unread bytes, and ends this socket without closing the channel: {@code
   * close(false)} follows on a later turn. Loop only.
   *
   * @return the channel, or null if this socket has none to give (connecting, destroyed)
   */
  Channel handOver() {
    Channel ch = channel;
    if (ch == null || connecting() || destroyed() || !ch.isActive()) {
      return null;
    }
    StreamAdapter mine = ch.pipeline().get(StreamAdapter.class);
    if (mine != null) {
      ch.pipeline().remove(mine);
    }
    channel = null; // teardown must not close it: it is the other socket's now
    phase = Phase.DESTROYED;
    if (idle != null) {
      idle.cancel();
    }
    socket.out.discardPreConnect();
    socket.out.runDrainWaiters();
    socket.loop.execute(this::finishClose);
    return ch;
  }

  /** Takes over a connection another socket handed over, with TLS in front (STARTTLS). */
  void takeOver(Channel ch, java.util.List<ByteBuf> unread) {
    attach(ch);
    settings.cacheAddresses(ch);
    futures.connectSettled(null);
    connectEmitted = true;
    socket.in.updateReading();
    // bytes the peer sent before the hand-over (its first handshake bytes) go to TLS first
    for (ByteBuf b : unread) {
      ch.pipeline().fireChannelRead(b);
    }
    if (!unread.isEmpty()) {
      ch.pipeline().fireChannelReadComplete();
    }
  }

  // ---------------------------------------------------------------- teardown

  /** Closes once both sides are done: the peer's end was emitted and our output is shut down. */
  void maybeClose() {
    if (!destroyed() && socket.in.ended() && socket.out.finished()) {
      destroyInternal(null);
    }
  }

  /** Resets the connection (TCP) and tears the socket down, on the loop. */
  void reset() {
    if (destroyed()) {
      return;
    }
    Channel ch = channel;
    if (ch == null || connecting()) {
      destroyInternal(NetException.of(ErrorCode.ERR_SOCKET_CLOSED));
      return;
    }
    transport.armReset(ch);
    if (socket.tls != null) {
      socket.tls.dropForReset(ch); // a reset, not close_notify: the peer sees ECONNRESET
    }
    destroyInternal(null);
  }

  /**
   * Tears the socket down now; {@code error} and {@code close} follow on a later turn.
   *
   * <p>Under io_uring the channel is closed on a later turn of its loop, never inside one of its
   * own completions. With Netty 4.2.18's io_uring channels, a close (with TLS, the close_notify
   * write and then the close) made while the channel handles a read completion closes the
   * descriptor but can leave the socket established, so the peer never sees the FIN and waits
   * forever, with nothing reported on either side. A TLS client destroyed from its {@code ready}
   * listener does that, since the handshake's last read emits {@code ready}: the kit's {@code
   * destroyWithACauseEmitsTheErrorAfterTheCallReturns} left the server's socket open in 3 runs of
   * 4, and 0 of 8 with the close one task later. The socket's state and events do not move.
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
    socket.in.discard();
    socket.out.discardPreConnect();
    if (err != null) {
      error = err;
    }
    if (wasConnecting) {
      futures.connectSettled(
          err != null ? err : NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
    socket.out.runDrainWaiters();
    if (socket.tls != null) {
      socket.tls.destroyed(err);
    }
    Channel ch = channel;
    if (ch != null && ch.isOpen()) {
      if (engine.kind() == Engine.Kind.IO_URING) {
        ch.eventLoop().execute(ch::close); // not inside a completion: see above
      } else {
        ch.close();
      }
    }
    // As Node's destroy: the state changes now, 'error' and 'close' come on a later turn of the
    // loop, so no event is ever emitted inside a call the user is still in (write, end, destroy).
    socket.loop.execute(this::finishClose);
  }

  private void finishClose() {
    if (phase != Phase.DESTROYED) {
      return;
    }
    NetException err = error;
    if (err != null) {
      errorEmitted = true;
      socket.events.emit(SocketEvents.ERROR, err);
    }
    phase = Phase.CLOSING;
    if (server != null) {
      // Node counts the connection out when it is destroyed, so a listener of close already sees
      // the new count.
      server.socketClosed(socket);
    }
    boolean hadError = err != null;
    socket.events.emit(SocketEvents.CLOSE, hadError);
    phase = Phase.CLOSED;
    futures.closeSettled(hadError);
    unref();
  }

  // ---------------------------------------------------------------- idle timeout

  void armIdle(long nanos) {
    if (destroyed()) {
      return;
    }
    if (idle == null) {
      if (nanos == 0) {
        return;
      }
      idle = new IdleTimer(socket.loop, this::emitTimeout);
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
      socket.events.emit(SocketEvents.TIMEOUT);
    }
  }

  // ---------------------------------------------------------------- the engine's reference

  void unref() {
    if (REFD.compareAndSet(this, true, false)) {
      engine.unref();
    }
  }

  void ref() {
    if (phase != Phase.CLOSED && REFD.compareAndSet(this, false, true)) {
      engine.ref();
      // finishClose may have run meanwhile and found nothing to unref: whoever clears refd unrefs.
      if (phase == Phase.CLOSED) {
        unref();
      }
    }
  }
}
