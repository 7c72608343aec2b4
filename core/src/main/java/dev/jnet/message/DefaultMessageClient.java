package dev.jnet.message;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link MessageClient}. Only the connection's I/O thread writes to it ({@link #pump}), so that
 * writes keep the queue's order: a send from another thread hops onto the I/O thread through an
 * empty write's callback.
 */
final class DefaultMessageClient implements MessageClient {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Endpoint endpoint;
  private final Framing framing;
  private final ReconnectOptions options;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final CopyOnWriteArrayList<Consumer<ByteBuffer>> messageListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<MessageSocket>> connectListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Optional<NetException>>> disconnectListeners =
      new CopyOnWriteArrayList<>();

  // guarded by lock
  private Connection current;
  private boolean closed;
  private int attempt;
  private ScheduledFuture<?> retry;

  private record Outgoing(ByteBuffer frame, CompletableFuture<Void> done) {}

  /** One connection attempt and its state; the fields are guarded by the client's lock. */
  private static final class Connection {
    final MessageSocket socket;
    boolean up;
    boolean blocked;
    boolean hopPending;
    Thread loop;
    volatile NetException error;

    Connection(MessageSocket socket) {
      this.socket = socket;
    }

    Socket raw() {
      return socket.socket().orElseThrow();
    }
  }

  private final java.util.function.Function<Endpoint, dev.jnet.Socket> connector;

  DefaultMessageClient(Endpoint endpoint, Framing framing, ReconnectOptions options) {
    this(endpoint, framing, options, e -> Net.createConnection(e, options.socketOptions()));
  }

  /** A client whose every attempt connects through {@code connector} (TLS, for one). */
  DefaultMessageClient(
      Endpoint endpoint,
      Framing framing,
      ReconnectOptions options,
      java.util.function.Function<Endpoint, dev.jnet.Socket> connector) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.framing = Objects.requireNonNull(framing, "framing");
    this.options = Objects.requireNonNull(options, "options");
    if (options.heartbeat().isOn()) {
      HeartbeatTimer.emptyFrame(framing); // refuses a framing without one at once
    }
  }

  void start() {
    attemptNow();
  }

  private void attemptNow() {
    Connection c;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      c =
          new Connection(
              MessageSocket.wrap(connector.apply(endpoint), framing, options.heartbeat()));
      current = c;
    } finally {
      lock.unlock();
    }
    c.socket.onMessage(m -> messageListeners.forEach(l -> l.accept(m)));
    c.socket.onError(e -> c.error = e);
    c.socket.onDrain(
        () -> {
          withLock(() -> c.blocked = false);
          pump(c);
        });
    c.socket.onClose(hadError -> lost(c));
    c.raw().onConnect(() -> up(c));
  }

  private void up(Connection c) {
    List<Consumer<MessageSocket>> listeners;
    lock.lock();
    try {
      if (current != c || closed) {
        return;
      }
      c.up = true;
      c.loop = Thread.currentThread();
      attempt = 0;
      listeners = List.copyOf(connectListeners);
    } finally {
      lock.unlock();
    }
    listeners.forEach(l -> l.accept(c.socket));
    pump(c);
  }

  /**
   * Hands queued messages to the connection, in order, until it is above its high-water mark. I/O
   * thread only.
   */
  private void pump(Connection c) {
    while (true) {
      Outgoing o;
      lock.lock();
      try {
        if (current != c || !c.up || c.blocked || (o = queue.poll()) == null) {
          return;
        }
      } finally {
        lock.unlock();
      }
      boolean below =
          c.raw()
              .write(
                  o.frame(),
                  err -> {
                    if (err.isPresent()) {
                      o.done().completeExceptionally(err.get());
                    } else {
                      o.done().complete(null);
                    }
                  });
      if (!below) {
        withLock(() -> c.blocked = true);
      }
    }
  }

  private void lost(Connection c) {
    boolean wasUp;
    boolean reconnect;
    lock.lock();
    try {
      if (current != c) {
        return;
      }
      current = null;
      wasUp = c.up;
      c.up = false;
      reconnect = !closed;
      if (reconnect) {
        retry =
            MessageTimers.get()
                .schedule(
                    this::attemptNow, options.delay(attempt++).toNanos(), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
    if (wasUp) {
      disconnectListeners.forEach(l -> l.accept(Optional.ofNullable(c.error)));
    }
  }

  @Override
  public CompletionStage<Void> send(ByteBuffer message) {
    DefaultMessageSocket.checkNotHeartbeat(message, options.heartbeat().isOn());
    ByteBuffer frame = framing.encode(message);
    Outgoing o = new Outgoing(frame, new CompletableFuture<>());
    Connection c;
    boolean hop = false;
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(NetException.of(ErrorCode.ERR_SOCKET_CLOSED));
      }
      if (queue.size() >= options.maxQueuedMessages()) {
        return CompletableFuture.failedFuture(
            NetException.withMessage(
                ErrorCode.ERR_BUFFER_FULL,
                "send",
                "",
                "ERR_BUFFER_FULL: "
                    + queue.size()
                    + " messages already queued (maxQueuedMessages)"));
      }
      queue.add(o);
      c = current;
      if (c != null && c.up && c.loop != Thread.currentThread() && !c.hopPending) {
        c.hopPending = true;
        hop = true;
      }
    } finally {
      lock.unlock();
    }
    if (c != null && c.loop == Thread.currentThread()) {
      pump(c);
    } else if (hop) {
      c.raw()
          .write(
              EMPTY,
              err -> {
                withLock(() -> c.hopPending = false);
                pump(c);
              });
    }
    return o.done();
  }

  @Override
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<MessageSocket> connection() {
    lock.lock();
    try {
      return current != null && current.up ? Optional.of(current.socket) : Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Registration onMessage(Consumer<ByteBuffer> listener) {
    messageListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> messageListeners.remove(listener);
  }

  @Override
  public Registration onConnect(Consumer<MessageSocket> listener) {
    Objects.requireNonNull(listener, "listener");
    MessageSocket upNow;
    lock.lock();
    try {
      connectListeners.add(listener);
      upNow = current != null && current.up ? current.socket : null;
    } finally {
      lock.unlock();
    }
    if (upNow != null) {
      listener.accept(upNow);
    }
    return () -> connectListeners.remove(listener);
  }

  @Override
  public Registration onDisconnect(Consumer<Optional<NetException>> listener) {
    disconnectListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> disconnectListeners.remove(listener);
  }

  @Override
  public void close() {
    List<Outgoing> dropped;
    Connection c;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      c = current;
      if (retry != null) {
        retry.cancel(false);
      }
    } finally {
      lock.unlock();
    }
    NetException e = NetException.of(ErrorCode.ERR_SOCKET_CLOSED);
    dropped.forEach(o -> o.done().completeExceptionally(e));
    if (c != null) {
      if (c.up) {
        c.socket.end();
      } else {
        c.socket.destroy();
      }
    }
  }

  private void withLock(Runnable r) {
    lock.lock();
    try {
      r.run();
    } finally {
      lock.unlock();
    }
  }
}
