package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Server;
import dev.jnet.Server.Drop;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.BindPlan;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.Log;
import dev.jnet.spi.SystemErrors;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * The one implementation of {@link Server}. Its own state is confined to its loop; the connection
 * count is atomic because accepted sockets may live on other loops.
 */
public class DefaultServer implements Server {

  private enum State {
    IDLE,
    BINDING,
    LISTENING,
    CLOSING
  }

  private static final long CLOSE_HANDLE_WAIT_MILLIS = 5_000;

  private final Engine engine;
  private final EventLoop loop;
  private final ServerOptions options;
  private final SocketOptions childOptions;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile State state = State.IDLE;
  private volatile Optional<Endpoint> address = Optional.empty();
  private ServerChannel channel;
  private ChannelTransport transport;
  private BindPlan bindPlan;
  private volatile Endpoint listenEndpoint;
  private CompletableFuture<Void> closing;
  private boolean wantRef = true;
  private boolean refd;

  private static final Listeners.Event<Consumer<Socket>> CONNECTION =
      new Listeners.Event<>("connection");
  private static final Listeners.Event<Runnable> LISTENING = new Listeners.Event<>("listening");
  private static final Listeners.Event<Runnable> CLOSE = new Listeners.Event<>("close");
  private static final Listeners.Event<Consumer<NetException>> ERROR =
      new Listeners.Event<>("error");
  private static final Listeners.Event<Consumer<Drop>> DROP = new Listeners.Event<>("drop");

  private final Listeners listeners = new Listeners();

  /**
   * Creates a server that is not yet listening.
   *
   * @param engine the engine
   * @param options the options
   */
  public DefaultServer(Engine engine, ServerOptions options) {
    this.engine = engine;
    this.loop = engine.nextLoop();
    this.options = options;
    this.childOptions = options.socketOptions();
  }

  /**
   * Creates a TLS server that is not yet listening.
   *
   * @param engine the engine
   * @param options the options
   * @param tls the TLS configuration of its sockets
   * @return the server
   */
  public static DefaultTlsServer tls(
      Engine engine, ServerOptions options, TlsLayer.ServerConfig tls) {
    return new DefaultTlsServer(engine, options, tls);
  }

  @Override
  public CompletionStage<Server> listen(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    synchronized (this) {
      if (state != State.IDLE) {
        throw new IllegalStateException(
            "ERR_SERVER_ALREADY_LISTEN: Listen method has been called more than once without closing.");
      }
      state = State.BINDING;
    }
    CompletableFuture<Server> result = new CompletableFuture<>();
    ChannelTransport t;
    try {
      t = engine.transport(endpoint);
    } catch (NetException e) {
      loop.execute(() -> listenFailed(e, result));
      return result;
    }
    t.prepareBind(engine.forTransport(t, endpoint), endpoint, options)
        .whenComplete(
            (plan, err) ->
                loop.execute(
                    () -> {
                      if (err != null) {
                        listenFailed(SystemErrors.map(err, "listen", endpoint.address()), result);
                      } else {
                        bind(t, endpoint, plan, result);
                      }
                    }));
    return result;
  }

  private void bind(
      ChannelTransport t, Endpoint ep, BindPlan plan, CompletableFuture<Server> result) {
    SocketAddress addr = plan.address();
    Engine on = engine.forTransport(t, ep); // under io_uring, epoll loops for some transports
    ServerBootstrap b =
        new ServerBootstrap()
            .group(on == engine ? loop : on.nextLoop(), on.group())
            .channelFactory(
                () -> {
                  ServerChannel c = t.newServerChannel(on, ep, addr);
                  t.configureServer(c, options); // e.g. SO_REUSEADDR on TCP listeners, as in Node
                  return c;
                })
            .option(ChannelOption.SO_BACKLOG, options.backlog())
            .handler(new AcceptErrors(() -> address.orElse(ep).toString()))
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    accept(ch);
                  }
                });
    // An inherited listening descriptor is registered as it is; everything else is bound.
    (plan.isListening() ? b.register() : b.bind(addr))
        .addListener(
            (ChannelFuture f) -> {
              if (loop.inEventLoop()) {
                bindDone(f, t, ep, plan, result);
              } else { // a channel that could not be created never reached the loop: its future
                // completes elsewhere
                loop.execute(() -> bindDone(f, t, ep, plan, result));
              }
            });
  }

  private void bindDone(
      ChannelFuture f,
      ChannelTransport t,
      Endpoint ep,
      BindPlan plan,
      CompletableFuture<Server> result) {
    if (!f.isSuccess()) {
      if (f.channel()
          .isRegistered()) { // else Netty's stand-in for a channel the transport could not create
        f.channel().close();
      }
      plan.failed();
      listenFailed(SystemErrors.map(f.cause(), "listen", ep.address()), result);
      return;
    }
    ServerChannel sc = (ServerChannel) f.channel();
    try {
      plan.bound(sc);
    } catch (NetException e) {
      sc.close();
      plan.failed();
      listenFailed(e, result);
      return;
    }
    channel = sc;
    transport = t;
    bindPlan = plan;
    listenEndpoint = ep;
    address = plan.endpoint(sc, t);
    state = State.LISTENING;
    if (wantRef) {
      refd = true;
      engine.ref();
    }
    listeners.forEach(LISTENING, this::safely);
    result.complete(this);
  }

  private void listenFailed(NetException e, CompletableFuture<Server> result) {
    state = State.IDLE;
    listeners.forEach(ERROR, l -> safely(() -> l.accept(e)));
    result.completeExceptionally(e);
  }

  private void accept(Channel ch) {
    if (state != State.LISTENING) {
      ch.close();
      return;
    }
    if (connections.get() >= options.maxConnections()) {
      SocketAddress remote = ch.remoteAddress();
      Optional<Endpoint> from = remote == null ? Optional.empty() : transport.toEndpoint(remote);
      ch.close();
      drop(
          new Drop(
              from, Optional.empty(), "maxConnections (" + options.maxConnections() + ") reached"));
      return;
    }
    connections.incrementAndGet();
    DefaultSocket s =
        DefaultSocket.accepted(
            engine.forTransport(transport, listenEndpoint),
            ch,
            transport,
            this,
            options.pauseOnConnect(),
            tlsConfig());
    String refusal = Admission.refusal(options, address.orElse(listenEndpoint), s);
    if (refusal != null) {
      Log.fine(() -> "jnet: connection rejected by the server's admission rules: " + s);
      Drop d = new Drop(s.remoteAddress(), s.peerCredentials(), refusal);
      s.destroy();
      drop(d);
      return;
    }
    if (s.tls == null) {
      dispatch(s);
    } // else dispatched by secured(s) once its handshake is done
  }

  /** A TLS configuration for accepted sockets, or null for a plain server. */
  TlsLayer.ServerConfig tlsConfig() {
    return null;
  }

  /** A TLS socket finished its handshake: it reaches the connection listeners now. Loop only. */
  void secured(DefaultSocket s) {
    if (state == State.LISTENING || state == State.CLOSING) {
      dispatch(s);
    }
  }

  /** A TLS socket's handshake failed (Node's {@code tlsClientError}). Loop only. */
  void tlsClientError(NetException e) {}

  private void dispatch(DefaultSocket s) {
    listeners.forEach(
        CONNECTION,
        l -> {
          try {
            l.accept(s);
          } catch (RuntimeException e) {
            Log.get()
                .log(Level.WARNING, "a jnet connection listener threw; the server carries on", e);
          } catch (
              Error e) { // the connection's state is unknown: it goes, with an error event; the
            // server serves on
            Log.get()
                .log(
                    Level.SEVERE,
                    "a jnet connection listener threw " + e + "; that connection is destroyed",
                    e);
            s.destroy(DefaultSocket.listenerError(e));
          }
        });
  }

  void socketClosed(DefaultSocket s) {
    // Only a closing server has anything to finish here, so no task per connection otherwise: on
    // an io_uring engine's epoll loops the server's loop is another thread, and waking it for every
    // closed connection showed in a Unix echo server's CPU per connection. No close is
    // missed: doClose sets CLOSING (volatile) before it checks the count, and this decrements the
    // count before it reads the state, so one of the two sees the other.
    if (connections.decrementAndGet() == 0 && state == State.CLOSING) {
      loop.execute(this::maybeClosed);
    }
  }

  /**
   * Stops accepting now, as Node closes the listening handle inside {@code close()}: on the
   * server's loop the handle closes before this returns; from a thread outside the engine this
   * waits (briefly) for the loop to close it, so a connect made after {@code close()} returns is
   * refused. From another loop of the engine it only schedules the close, since one loop must never
   * block on another.
   */
  @Override
  public CompletionStage<Void> close() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture<Void> unbound = new CompletableFuture<>();
    if (loop.inEventLoop()) {
      doClose(result, unbound);
    } else {
      loop.execute(() -> doClose(result, unbound));
      if (!engine.onLoopThread()) {
        try {
          unbound.get(CLOSE_HANDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          Log.get().log(Level.FINE, "the listening handle did not close in time", e);
        }
      }
    }
    return result;
  }

  private void doClose(CompletableFuture<Void> result, CompletableFuture<Void> unbound) {
    if (state != State.LISTENING) {
      unbound.complete(null);
      if (state == State.CLOSING && closing != null) {
        closing.whenComplete((v, e) -> result.complete(null));
        return;
      }
      result.completeExceptionally(NetException.of(ErrorCode.ERR_SERVER_NOT_RUNNING));
      return;
    }
    state = State.CLOSING;
    closing = result;
    ServerChannel sc = channel;
    // The channel's loop is the server's, except for a transport on an io_uring engine's epoll
    // loops: the server's state stays on the server's loop.
    sc.close()
        .addListener(
            f -> {
              if (loop.inEventLoop()) {
                handleClosed(unbound);
              } else {
                loop.execute(() -> handleClosed(unbound));
              }
            });
  }

  private void handleClosed(CompletableFuture<Void> unbound) {
    // NIO closes a selector-registered descriptor only when the loop next selects; a task
    // scheduled now runs after that select, so "unbound" means the kernel refuses new connects
    // (epoll closed it already).
    loop.schedule(() -> unbound.complete(null), 1, TimeUnit.NANOSECONDS);
    bindPlan.closed();
    if (refd) {
      refd = false;
      engine.unref();
    }
    maybeClosed();
  }

  private void maybeClosed() {
    if (state == State.CLOSING && !channel.isOpen() && connections.get() == 0) {
      state = State.IDLE;
      address = Optional.empty();
      CompletableFuture<Void> c = closing;
      closing = null;
      listeners.forEach(CLOSE, this::safely);
      c.complete(null);
    }
  }

  /**
   * Returns the listening channel while the server listens, for a transport that hands the listener
   * to another process (descriptor passing).
   *
   * @return the channel, empty unless listening
   */
  public Optional<ServerChannel> listeningChannel() {
    return state == State.LISTENING ? Optional.ofNullable(channel) : Optional.empty();
  }

  @Override
  public Optional<Endpoint> address() {
    return address;
  }

  @Override
  public boolean isListening() {
    return state == State.LISTENING;
  }

  @Override
  public int connections() {
    return connections.get();
  }

  /** The options every accepted socket gets: one shared value, not a copy per connection. */
  SocketOptions childOptions() {
    return childOptions;
  }

  @Override
  public ServerOptions options() {
    return options;
  }

  @Override
  public Server unref() {
    loop.execute(
        () -> {
          wantRef = false;
          if (refd) {
            refd = false;
            engine.unref();
          }
        });
    return this;
  }

  @Override
  public Server ref() {
    loop.execute(
        () -> {
          wantRef = true;
          if (!refd && state == State.LISTENING) {
            refd = true;
            engine.ref();
          }
        });
    return this;
  }

  @Override
  public Registration onConnection(Consumer<Socket> listener) {
    return listeners.add(CONNECTION, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Registration onListening(Runnable listener) {
    return listeners.add(LISTENING, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Registration onClose(Runnable listener) {
    return listeners.add(CLOSE, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Registration onError(Consumer<NetException> listener) {
    return listeners.add(ERROR, Objects.requireNonNull(listener, "listener"));
  }

  private void drop(Drop d) {
    listeners.forEach(DROP, l -> safely(() -> l.accept(d)));
  }

  @Override
  public Registration onDrop(Consumer<Drop> listener) {
    return listeners.add(DROP, Objects.requireNonNull(listener, "listener"));
  }

  void safely(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException | Error e) {
      Log.get().log(Level.WARNING, "a jnet server listener threw; the server carries on", e);
    }
  }

  @Override
  public String toString() {
    return "Server[" + address.map(Endpoint::toString).orElse("not listening") + "]";
  }
}
