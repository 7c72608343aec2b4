package dev.jnet.internal;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.SocketOptions;
import dev.jnet.WriteCallback;
import dev.jnet.spi.SystemErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The write side of one {@link DefaultSocket}, as Node's Writable is beside its {@code net.Socket}
 * and Netty's {@code ChannelOutboundBuffer} beside its channel: the counters, the high-water mark
 * and the hard cap, the writes made while connecting, the hand-off of every write to the channel in
 * call order, flush batching, callbacks, drain, and end followed by the shutdown of the output.
 *
 * <p>Threads: {@link #enqueue}, {@link #writeOwned} and {@link #end} may be called on any thread,
 * and the counters and the {@link Phase} may be read on any thread: the counters change atomically,
 * and a caller moves the phase only from {@code OPEN} to {@code ENDING}, by compare-and-set.
 * Everything else (the writes made while connecting, the count of writes in the channel, the drain
 * waiters, every later step of the phase) is confined to the socket's loop.
 */
final class Outbound {
  /** Where the write side is; the phase only moves forward. */
  enum Phase {
    /** Writes are accepted. */
    OPEN,
    /**
     * {@code end()} was called, on any thread: {@code write} returns false from now on, and the
     * writes made before it still go out.
     */
    ENDING,
    /** The loop reached the end, in call order: a later write fails. */
    ENDED,
    /** Every write went out; the output is being shut down. */
    SHUTTING_DOWN,
    /** The output is shut down (or the transport cannot half-close). */
    FINISHED
  }

  private static final VarHandle PENDING;
  private static final VarHandle BYTES_WRITTEN;
  private static final VarHandle QUEUED_WRITES;
  private static final VarHandle NEED_DRAIN;
  private static final VarHandle PHASE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PENDING = l.findVarHandle(Outbound.class, "pending", long.class);
      BYTES_WRITTEN = l.findVarHandle(Outbound.class, "bytesWritten", long.class);
      QUEUED_WRITES = l.findVarHandle(Outbound.class, "queuedWrites", int.class);
      NEED_DRAIN = l.findVarHandle(Outbound.class, "needDrain", boolean.class);
      PHASE = l.findVarHandle(Outbound.class, "phase", Phase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final DefaultSocket socket;
  private final SocketOptions options;
  private volatile Phase phase = Phase.OPEN; // PHASE

  /**
   * Set on the loop before the end listeners run when the automatic end follows them: writes from
   * other threads now come too late.
   */
  private volatile boolean autoEnding;

  private volatile long pending; // PENDING: bytes accepted and not yet written to the kernel
  private volatile long bytesWritten; // BYTES_WRITTEN
  private volatile int queuedWrites; // QUEUED_WRITES: writes on their way to the loop
  private volatile boolean needDrain; // NEED_DRAIN
  private ArrayDeque<PendingWrite> preConnect; // created by the first write before connect
  private ArrayList<Runnable> drainWaiters; // created by the first pipe that waits for a drain
  private int outstanding; // writes in the channel

  private record PendingWrite(ByteBuf buf, int length, WriteCallback callback) {}

  Outbound(DefaultSocket socket, SocketOptions options) {
    this.socket = socket;
    this.options = options;
  }

  long pending() {
    return pending;
  }

  long bytesWritten() {
    return bytesWritten;
  }

  /** True once {@code end()} was called, on any thread (Node's {@code writableEnded}). */
  boolean writableEnded() {
    return phase != Phase.OPEN;
  }

  /** True once the loop reached the end: a later write fails. */
  boolean ended() {
    return phase.compareTo(Phase.ENDED) >= 0;
  }

  boolean finished() {
    return phase == Phase.FINISHED;
  }

  boolean aboveHighWaterMark() {
    return pending > options.highWaterMark();
  }

  void setAutoEnding(boolean value) {
    autoEnding = value;
  }

  // ---------------------------------------------------------------- accepting writes (any thread)

  /**
   * Takes a buffer the socket now owns, or refuses it (the socket is then destroyed with {@code
   * ERR_BUFFER_FULL}) when it would take the socket over its hard cap or the process over its
   * budget.
   *
   * @return Node's answer to {@code write}: false when the caller should wait for drain
   */
  boolean enqueue(ByteBuf buf, WriteCallback callback) {
    int n = buf.readableBytes();
    boolean overBudget = BufferBudget.used() + n > BufferBudget.limit();
    long p = overBudget ? -1 : reserve(n);
    if (p < 0) {
      buf.release();
      NetException full = bufferFull(overBudget);
      socket.run(
          () -> {
            complete(callback, full);
            socket.life.destroyInternal(full);
          });
      return false;
    }
    boolean ok = p < options.highWaterMark() && !BufferBudget.isPressured();
    if (!ok) {
      needDrain = true;
    }
    ok =
        ok
            && phase == Phase.OPEN
            && !socket.isDestroyed()
            && !(autoEnding && !socket.loop.inEventLoop());
    submit(buf, n, callback);
    return ok;
  }

  /** Writes a buffer this socket now owns (the pipe path: no copy, no hard cap). */
  void writeOwned(ByteBuf buf) {
    int n = buf.readableBytes();
    count(n);
    submit(buf, n, null);
  }

  /** Counts bytes the kernel spliced into this socket's pipe: written, never buffered here. */
  void countSpliced(int n) {
    BYTES_WRITTEN.getAndAdd(this, (long) n);
  }

  /** A chunk of a splice to this socket is in flight: the end waits for it. Loop only. */
  void spliceBegan() {
    outstanding++;
  }

  /**
   * A chunk of a splice ended. With {@code barrier} (it ended short: the source's end, a failure)
   * an empty write follows the splice's writes in the channel's queue, so the end still waits for
   * what sits in the pipe. Loop only.
   */
  void spliceEnded(boolean barrier) {
    if (barrier && !socket.life.destroyed()) {
      channelWrite(Unpooled.EMPTY_BUFFER, 0, null);
    }
    outstanding--;
    shutdownWhenDone();
  }

  /**
   * Counts {@code n} more bytes unless the socket's hard cap is in the way.
   *
   * @return the bytes now pending, or -1 when refused
   */
  private long reserve(int n) {
    long max = options.maxBufferedBytes();
    long current;
    do {
      current = pending;
      if (current + n > max) {
        return -1;
      }
    } while (!PENDING.compareAndSet(this, current, current + n));
    BufferBudget.add(n);
    BYTES_WRITTEN.getAndAdd(this, (long) n);
    return current + n;
  }

  /** Counts (or, negative, uncounts) bytes accepted by a write: pending and written alike. */
  private void count(long n) {
    addPending(n);
    BYTES_WRITTEN.getAndAdd(this, n);
  }

  /** Counts buffered write bytes, in this socket and in the process-wide {@link BufferBudget}. */
  private long addPending(long n) {
    BufferBudget.add(n);
    return (long) PENDING.getAndAdd(this, n) + n;
  }

  private NetException bufferFull(boolean overBudget) {
    return NetException.withMessage(
        ErrorCode.ERR_BUFFER_FULL,
        "write",
        "",
        overBudget
            ? "ERR_BUFFER_FULL: the process holds more than "
                + BufferBudget.limit()
                + " buffered bytes over all sockets (-Djnet.maxBufferedBytes); wait for drain when"
                + " write returns false"
            : "ERR_BUFFER_FULL: more than "
                + options.maxBufferedBytes()
                + " bytes buffered; wait for drain when write returns false");
  }

  /**
   * Runs a write on the loop in call order: a write made on the loop goes at once unless writes
   * from other threads are still queued, so a write ordered after another thread's write (by a
   * lock, say) never overtakes it.
   */
  private void submit(ByteBuf buf, int n, WriteCallback callback) {
    if (socket.loop.inEventLoop() && queuedWrites == 0) {
      write(buf, n, callback);
    } else {
      QUEUED_WRITES.getAndAdd(this, 1);
      socket.loop.execute(
          () -> {
            QUEUED_WRITES.getAndAdd(this, -1);
            write(buf, n, callback);
          });
    }
  }

  // ---------------------------------------------------------------- writing (loop)

  private void write(ByteBuf buf, int n, WriteCallback callback) {
    boolean destroyed = socket.life.destroyed();
    if (destroyed || ended()) {
      buf.release();
      count(-n); // Node counts only the bytes write() accepted
      // Node: "ended" wins over "destroyed" (writeAfterFIN's EPIPE, then
      // ERR_STREAM_WRITE_AFTER_END).
      NetException e = ended() ? afterEndError() : NetException.of(ErrorCode.ERR_SOCKET_CLOSED);
      complete(callback, e);
      socket.life.destroyInternal(destroyed ? null : e);
      return;
    }
    if (socket.life.connecting()) {
      if (preConnect == null) {
        preConnect = new ArrayDeque<>(2);
      }
      preConnect.add(new PendingWrite(buf, n, callback));
      return;
    }
    channelWrite(buf, n, callback);
  }

  private void channelWrite(ByteBuf buf, int n, WriteCallback callback) {
    Channel ch = socket.life.channel();
    outstanding++;
    ChannelPromise promise = ch.newPromise();
    promise.addListener(f -> writeDone(n, callback, f.cause()));
    FlushBatch batch = FlushBatch.current();
    if (batch.isActive()) {
      ch.write(buf, promise);
      if (aboveHighWaterMark()) {
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
      socket.life.touchIdle();
      complete(callback, null);
    } else {
      NetException e =
          socket.life.destroyed()
              ? NetException.of(ErrorCode.ERR_SOCKET_CLOSED)
              : SystemErrors.map(cause, "write", "");
      complete(callback, e);
      socket.life.destroyInternal(e);
    }
    if (left == 0) {
      if (NEED_DRAIN.compareAndSet(this, true, false)) {
        socket.loop.execute(this::emitDrain);
      }
      runDrainWaiters();
    }
    shutdownWhenDone();
  }

  /**
   * Sends the writes made while connecting, before any connect listener can write: a write made in
   * a connect listener comes after them, as in Node.
   */
  void connected() {
    PendingWrite w;
    while (!socket.life.destroyed() && preConnect != null && (w = preConnect.poll()) != null) {
      channelWrite(w.buf(), w.length(), w.callback());
    }
  }

  /** Fails the writes still waiting for a connect that will not come. */
  void discardPreConnect() {
    PendingWrite w;
    while (preConnect != null && (w = preConnect.poll()) != null) {
      w.buf().release();
      addPending(-w.length());
      complete(w.callback(), NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
  }

  /** Runs a task on this socket's loop once nothing is pending (or the socket is gone). */
  void whenDrained(Runnable r) {
    socket.run(
        () -> {
          if (pending == 0 || socket.life.destroyed()) {
            r.run();
          } else {
            if (drainWaiters == null) {
              drainWaiters = new ArrayList<>(1);
            }
            drainWaiters.add(r);
          }
        });
  }

  void runDrainWaiters() {
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
    if (!socket.life.destroyed() && !writableEnded()) {
      socket.events.emit(SocketEvents.DRAIN);
    }
  }

  private void complete(WriteCallback callback, NetException e) {
    if (callback != null) {
      Optional<NetException> outcome = Optional.ofNullable(e);
      socket.loop.execute(() -> socket.events.safely(() -> callback.done(outcome)));
    }
  }

  /**
   * As Node's {@code writeAfterFIN}: once the peer's end arrived on a socket that is not half-open,
   * a late write is {@code EPIPE}, whoever ended first; otherwise it is a write after our own
   * {@code end()}.
   */
  private NetException afterEndError() {
    return socket.in.ended() && !options.allowHalfOpen()
        ? NetException.withMessage(
            ErrorCode.EPIPE, "write", "", "This socket has been ended by the other party")
        : NetException.of(ErrorCode.ERR_STREAM_WRITE_AFTER_END);
  }

  // ---------------------------------------------------------------- ending

  /** Node's {@code end()}, on any thread: the end comes after every write made before it. */
  void end() {
    PHASE.compareAndSet(this, Phase.OPEN, Phase.ENDING);
    if (socket.loop.inEventLoop() && queuedWrites == 0) {
      endOnLoop();
    } else {
      socket.loop.execute(this::endOnLoop); // after every write queued before it, from any thread
    }
  }

  /** Reaches the end in call order (or ends at once, as the automatic end does). Loop only. */
  void endOnLoop() {
    if (socket.life.destroyed() || ended()) {
      return;
    }
    phase = Phase.ENDED; // a caller's OPEN -> ENDING cannot overtake: ENDED is later
    shutdownWhenDone();
  }

  /** Shuts the output down once the end was reached and every write went out. */
  void shutdownWhenDone() {
    if (outstanding == 0
        && phase == Phase.ENDED
        && !socket.life.destroyed()
        && !socket.life.connecting()
        && (preConnect == null || preConnect.isEmpty())) {
      phase = Phase.SHUTTING_DOWN;
      Channel ch = socket.life.channel();
      if (socket.tls != null) { // close_notify first, then the transport's end
        socket.tls.closeOutbound(ch, () -> shutdownTransport(ch));
      } else {
        shutdownTransport(ch);
      }
    }
  }

  /**
   * Sends the transport's end. When the peer's end was already read, the close that follows at once
   * sends it: the kernel holds nothing unread behind that end, so the close is a FIN, never a
   * reset. Skipping the separate {@code shutdown(2)} saves a call and the exception with a full
   * stack that Netty builds at every output shutdown (a few percent of the CPU per connection of an
   * echo server; docs/profiles.md).
   */
  private void shutdownTransport(Channel ch) {
    if (socket.in.ended()) {
      finish();
    } else if (ch instanceof DuplexChannel dc) {
      dc.shutdownOutput().addListener(f -> finish());
    } else {
      finish();
    }
  }

  private void finish() {
    phase = Phase.FINISHED;
    socket.life.maybeClose();
  }
}
