package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server connection's two deadlines ({@link MessageServerOptions#firstFrameTimeout()} and {@link
 * MessageServerOptions#frameTimeout()}) and the one timer task that enforces them. The I/O thread moves the
 * deadlines after each read ({@link #afterRead}); the task, on {@link MessageTimers}, re-arms itself for the
 * earliest deadline and destroys the socket with {@code ETIMEDOUT} once one has passed. A frame that spans many
 * reads costs a volatile write per read, not a task.
 */
final class FrameTimeouts {
  private final Socket socket;
  private final long firstNanos;
  private final long frameNanos;
  /** System.nanoTime() by which the first message must be complete; 0 once it is, or when off. */
  private volatile long firstDeadline;
  /** System.nanoTime() by which the frame in progress must be complete; 0 between frames, or when off. */
  private volatile long frameDeadline;
  private ScheduledFuture<?> task;
  private long taskAt;
  private boolean stopped;

  private FrameTimeouts(Socket socket, Duration first, Duration frame) {
    this.socket = socket;
    this.firstNanos = first.toNanos();
    this.frameNanos = frame.toNanos();
  }

  /**
   * Starts the deadlines of a freshly accepted connection; cancels the timer when it closes.
   *
   * @return the deadlines, or null when both are off
   */
  static FrameTimeouts start(Socket socket, MessageServerOptions options) {
    if (options.firstFrameTimeout().isZero() && options.frameTimeout().isZero()) {
      return null;
    }
    FrameTimeouts t = new FrameTimeouts(socket, options.firstFrameTimeout(), options.frameTimeout());
    socket.onClose(hadError -> t.stop());
    if (t.firstNanos > 0) {
      t.firstDeadline = System.nanoTime() + t.firstNanos;
      t.arm(t.firstDeadline);
    }
    return t;
  }

  /**
   * Moves the deadlines after a read (I/O thread).
   *
   * @param completed whether the read completed at least one message
   * @param partial whether a frame is unfinished after it
   */
  void afterRead(boolean completed, boolean partial) {
    if (completed) {
      firstDeadline = 0;
    }
    if (!partial || frameNanos == 0) {
      frameDeadline = 0;
    } else if (completed || frameDeadline == 0) {
      long d = System.nanoTime() + frameNanos;
      frameDeadline = d;
      arm(d);
    }
  }

  private synchronized void arm(long deadline) {
    if (stopped || (task != null && taskAt - deadline <= 0)) {
      return;
    }
    if (task != null) {
      task.cancel(false);
    }
    taskAt = deadline;
    task = MessageTimers.get().schedule(this::fire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    synchronized (this) {
      task = null;
    }
    long now = System.nanoTime();
    long first = firstDeadline;
    long frame = frameDeadline;
    if (first != 0 && now - first >= 0) {
      socket.destroy(expired("no complete message within " + millis(firstNanos) + " ms of connecting",
          "firstFrameTimeout"));
    } else if (frame != 0 && now - frame >= 0) {
      socket.destroy(expired("a frame was not completed within " + millis(frameNanos) + " ms of its first byte",
          "frameTimeout"));
    } else if (first != 0 || frame != 0) {
      arm(first == 0 ? frame : frame == 0 ? first : (first - frame < 0 ? first : frame));
    }
  }

  private synchronized void stop() {
    stopped = true;
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private NetException expired(String what, String option) {
    String peer = socket.remoteAddress().map(Object::toString).orElse("");
    return NetException.withMessage(ErrorCode.ETIMEDOUT, "read", peer,
        "read ETIMEDOUT: " + what + " (MessageServerOptions." + option + ")" + (peer.isEmpty() ? "" : " " + peer));
  }
}
