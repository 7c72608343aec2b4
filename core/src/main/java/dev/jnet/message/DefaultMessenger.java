package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Registration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A {@link Messenger}: pending requests by id, inbound replies by id, the envelope on every frame.
 */
final class DefaultMessenger implements Messenger {
  private final MessageSocket socket;
  private final Map<Long, Pending> outbound = new ConcurrentHashMap<>();
  private final Map<Long, InboundReply> inbound = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<ByteBuffer>> messageListeners =
      new CopyOnWriteArrayList<>();
  private final AtomicReference<RequestHandler> handler = new AtomicReference<>();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile NetException closeCause;

  /**
   * A request in flight; {@code deadline} is a {@link System#nanoTime()} value, {@code
   * Long.MAX_VALUE} for none.
   */
  private record Pending(CompletableFuture<ByteBuffer> result, long deadline, Duration timeout) {}

  /**
   * Timeouts are swept, not timed one by one: at most one sweep is scheduled, for the earliest
   * deadline, so a request costs no timer of its own (a timer per request woke the timer thread
   * twice per request).
   */
  private long sweepAt = Long.MAX_VALUE;

  private ScheduledFuture<?> sweep;

  DefaultMessenger(MessageSocket socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
    socket.onError(e -> closeCause = e);
    socket.onClose(hadError -> closedNow());
    socket.onMessage(this::receive);
  }

  @Override
  public CompletionStage<ByteBuffer> request(ByteBuffer body) {
    return request(body, DEFAULT_TIMEOUT);
  }

  @Override
  public CompletionStage<ByteBuffer> request(ByteBuffer body, Duration timeout) {
    Objects.requireNonNull(body, "body");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    long id = newId();
    CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
    long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    outbound.put(id, new Pending(result, deadline, timeout));
    if (deadline != Long.MAX_VALUE) {
      sweepBy(deadline);
    }
    result.whenComplete(
        (v, e) -> {
          if (e instanceof CancellationException) {
            giveUp(id);
          }
        });
    if (socket.isDestroyed()) {
      settle(id, closedError());
      return result;
    }
    try {
      socket.send(new Envelope(Envelope.Kind.REQUEST, id, body).encode());
    } catch (IllegalArgumentException e) {
      settle(id, e);
    }
    return result;
  }

  private long newId() {
    while (true) {
      long id = nextId.incrementAndGet() & 0xFFFF_FFFFL;
      if (id != 0 && !outbound.containsKey(id)) {
        return id;
      }
    }
  }

  /** Makes sure a sweep runs no later than {@code deadline}. */
  private synchronized void sweepBy(long deadline) {
    if (sweepAt != Long.MAX_VALUE && deadline - sweepAt >= 0) {
      return;
    }
    if (sweep != null) {
      sweep.cancel(false);
    }
    sweepAt = deadline;
    sweep =
        MessageTimers.get()
            .schedule(this::sweep, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /**
   * Fails the requests whose deadline passed, then schedules the next sweep for the earliest one
   * left.
   */
  private void sweep() {
    synchronized (this) {
      sweep = null;
      sweepAt = Long.MAX_VALUE;
    }
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (Map.Entry<Long, Pending> e : outbound.entrySet()) {
      long d = e.getValue().deadline();
      if (d == Long.MAX_VALUE) {
        continue;
      }
      if (d - now <= 0) {
        timedOut(e.getKey(), e.getValue().timeout());
      } else if (next == Long.MAX_VALUE || d - next < 0) {
        next = d;
      }
    }
    if (next != Long.MAX_VALUE) {
      sweepBy(next);
    }
  }

  private void timedOut(long id, Duration timeout) {
    if (settle(
        id,
        NetException.withMessage(
            ErrorCode.ETIMEDOUT,
            "request",
            "",
            "ETIMEDOUT: no response to request " + id + " within " + timeout))) {
      sendControl(Envelope.Kind.CANCEL, id, ByteBuffer.allocate(0));
    }
  }

  private void giveUp(long id) {
    Pending p = outbound.remove(id);
    if (p != null) {
      sendControl(Envelope.Kind.CANCEL, id, ByteBuffer.allocate(0));
    }
  }

  private boolean settle(long id, Throwable failure) {
    Pending p = outbound.remove(id);
    if (p == null) {
      return false;
    }
    p.result().completeExceptionally(failure);
    return true;
  }

  private void sendControl(Envelope.Kind kind, long id, ByteBuffer body) {
    if (!socket.isDestroyed()) {
      socket.send(new Envelope(kind, id, body).encode());
    }
  }

  private void receive(ByteBuffer payload) {
    Envelope env = Envelope.parse(payload).orElse(null);
    if (env == null) {
      socket.destroy(
          NetException.withMessage(
              ErrorCode.EINVAL,
              "read",
              "",
              "EINVAL: malformed envelope ("
                  + payload.remaining()
                  + " bytes); see dev.jnet.message.Envelope"));
      return;
    }
    switch (env.kind()) {
      case REQUEST -> handleRequest(env);
      case RESPONSE, ERROR -> handleResponse(env);
      case CANCEL -> {
        InboundReply r = inbound.remove(env.id());
        if (r != null) {
          r.cancel();
        }
      }
      case MESSAGE -> messageListeners.forEach(l -> l.accept(env.body()));
    }
  }

  private void handleRequest(Envelope env) {
    InboundReply reply = new InboundReply(env.id());
    inbound.put(env.id(), reply);
    RequestHandler h = handler.get();
    if (h == null) {
      reply.reject("no request handler");
      return;
    }
    try {
      h.handle(env.body(), reply);
    } catch (RuntimeException e) {
      reply.reject(String.valueOf(e));
    }
  }

  private void handleResponse(Envelope env) {
    Pending p = outbound.remove(env.id());
    if (p == null) {
      dropped.incrementAndGet();
      return;
    }
    if (env.kind() == Envelope.Kind.RESPONSE) {
      p.result().complete(env.body());
    } else {
      String reason = StandardCharsets.UTF_8.decode(env.body()).toString();
      p.result().completeExceptionally(new RequestRejectedException(env.id(), reason));
    }
  }

  private void closedNow() {
    NetException e = closedError();
    for (Long id : outbound.keySet()) {
      settle(id, e);
    }
    for (Long id : inbound.keySet()) {
      InboundReply r = inbound.remove(id);
      if (r != null) {
        r.cancel();
      }
    }
  }

  private NetException closedError() {
    NetException c = closeCause;
    return c != null ? c : NetException.of(ErrorCode.ERR_SOCKET_CLOSED);
  }

  @Override
  public boolean send(ByteBuffer body) {
    return socket.send(new Envelope(Envelope.Kind.MESSAGE, 0, body).encode());
  }

  @Override
  public Registration onRequest(RequestHandler h) {
    Objects.requireNonNull(h, "handler");
    if (!handler.compareAndSet(null, h)) {
      throw new IllegalStateException("a request handler is already registered");
    }
    return () -> handler.compareAndSet(h, null);
  }

  @Override
  public Registration onMessage(Consumer<ByteBuffer> listener) {
    messageListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> messageListeners.remove(listener);
  }

  @Override
  public MessageSocket socket() {
    return socket;
  }

  @Override
  public int pendingRequests() {
    return outbound.size();
  }

  @Override
  public long droppedResponses() {
    return dropped.get();
  }

  /** One received request's answer: sent at most once, dropped after a cancel or close. */
  private final class InboundReply implements Reply {
    private final long id;
    private final CopyOnWriteArrayList<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean settled =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean cancelled;

    InboundReply(long id) {
      this.id = id;
    }

    @Override
    public boolean resolve(ByteBuffer body) {
      return answer(Envelope.Kind.RESPONSE, Objects.requireNonNull(body, "body"));
    }

    @Override
    public boolean reject(String reason) {
      return answer(Envelope.Kind.ERROR, ByteBuffer.wrap(reason.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean answer(Envelope.Kind kind, ByteBuffer body) {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      inbound.remove(id, this);
      if (socket.isDestroyed()) {
        return false;
      }
      socket.send(new Envelope(kind, id, body).encode());
      return true;
    }

    void cancel() {
      if (settled.compareAndSet(false, true)) {
        cancelled = true;
        onCancel.forEach(Runnable::run);
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
      onCancel.add(Objects.requireNonNull(action, "action"));
      if (cancelled) {
        action.run();
      }
    }
  }
}
