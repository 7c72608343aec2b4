package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ReadyState;
import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Heartbeat} of one connection: a task on the shared message timer, every half interval,
 * that sends an empty frame when nothing was written for an interval and destroys the socket with
 * {@code ETIMEDOUT} when nothing was read for the timeout. Reads are reported by the message socket
 * ({@link #received}), so any byte counts; writes are seen through {@link Socket#bytesWritten()}.
 *
 * <p>Threading: {@link #received}, {@link #reading} and {@link #paused} are called on the socket's
 * I/O thread; the task runs on the timer thread and only writes and destroys, which may be called
 * from any thread.
 */
final class HeartbeatTimer {
  private final Socket socket;
  private final ByteBuffer frame;
  private final long intervalNanos;
  private final long timeoutNanos;
  private volatile long lastRead;
  private volatile boolean reading;
  private volatile boolean paused;
  private long lastWritten = -1;
  private long lastWriteAt;
  private ScheduledFuture<?> task;
  private boolean stopped;
  private boolean ended;

  private HeartbeatTimer(Socket socket, ByteBuffer frame, Heartbeat heartbeat) {
    this.socket = socket;
    this.frame = frame;
    this.intervalNanos = heartbeat.interval().toNanos();
    this.timeoutNanos = heartbeat.timeout().toNanos();
  }

  /**
   * Starts the heartbeat once the socket is connected; stops it when the socket closes.
   *
   * @return the timer, or null if the heartbeat is off
   */
  static HeartbeatTimer start(Socket socket, Framing framing, Heartbeat heartbeat) {
    if (!heartbeat.isOn()) {
      return null;
    }
    HeartbeatTimer t = new HeartbeatTimer(socket, emptyFrame(framing), heartbeat);
    socket.connected().thenRun(t::schedule);
    socket.onClose(hadError -> t.stop());
    return t;
  }

  /** The framing's empty frame; a framing that has none cannot carry the heartbeat. */
  static ByteBuffer emptyFrame(Framing framing) {
    ByteBuffer frame;
    try {
      frame = framing.encode(ByteBuffer.allocate(0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          framing + " cannot carry the heartbeat: it has no empty frame (" + e.getMessage() + ")",
          e);
    }
    if (!frame.hasRemaining()) {
      throw new IllegalArgumentException(
          framing + " cannot carry the heartbeat: its empty message is zero bytes on the wire");
    }
    return frame.asReadOnlyBuffer();
  }

  /** Bytes arrived. */
  void received() {
    lastRead = System.nanoTime();
  }

  /** The message socket started reading (its first message listener). */
  void reading() {
    lastRead = System.nanoTime();
    reading = true;
  }

  /** The application paused or resumed the connection: the receive clock stops meanwhile. */
  void paused(boolean value) {
    lastRead = System.nanoTime();
    paused = value;
  }

  private synchronized void schedule() {
    if (stopped) {
      return;
    }
    lastRead = System.nanoTime();
    lastWriteAt = lastRead;
    long tick = Math.max(1, intervalNanos / 2);
    task = MessageTimers.get().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
  }

  private synchronized void stop() {
    stopped = true;
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /**
   * The message socket is about to end its side: no heartbeat may follow. Waits for a heartbeat
   * being written, so that it goes out before the end.
   */
  synchronized void ending() {
    ended = true;
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      if (reading && !paused && now - lastRead >= timeoutNanos) {
        stop();
        socket.destroy(silent());
        return;
      }
      beat(now);
    } catch (RuntimeException e) {
      // A failed tick must not end the heartbeat silently (a periodic task that throws is never
      // run again): say so, and destroy the connection that no longer has one.
      stop();
      socket.destroy(MessageErrors.heartbeatFailed(e));
    }
  }

  private synchronized void beat(long now) {
    long written = socket.bytesWritten();
    if (written != lastWritten) {
      lastWritten = written;
      lastWriteAt = now;
    } else if (now - lastWriteAt >= intervalNanos
        && !ended
        && socket.bufferSize() == 0
        && writable(socket.readyState())) {
      socket.write(frame.duplicate());
      lastWriteAt = now;
    }
  }

  private static boolean writable(ReadyState state) {
    return state == ReadyState.OPEN || state == ReadyState.WRITE_ONLY;
  }

  private NetException silent() {
    String peer = socket.remoteAddress().map(Object::toString).orElse("");
    return NetException.withMessage(
        ErrorCode.ETIMEDOUT,
        "read",
        peer,
        "read ETIMEDOUT: no byte from the peer within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
            + " ms (heartbeat timeout)"
            + (peer.isEmpty() ? "" : " " + peer));
  }
}
