package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two deadlines of a server connection, as {@link MessageServerOptions} describes them: a first
 * complete message within {@code firstFrameTimeout} of accept, and each frame complete within
 * {@code frameTimeout} of its first byte; a connection that misses one is destroyed with {@code
 * ETIMEDOUT}. A {@link MessageServer} applies them to every connection itself; this class is for a
 * server that decodes frames without a {@link MessageSocket} (as {@code jnet listen --framing}
 * does): start it on accept, and report each read with {@link #afterRead}.
 *
 * <p>One timer task per connection, on a shared daemon thread, re-arms itself for the earliest
 * deadline; a frame that spans many reads costs a volatile write per read, not a task. The task is
 * cancelled when the socket closes.
 *
 * <p>Threading: {@link #afterRead} is called on the socket's I/O thread, after each read has been
 * decoded; the timer destroys the socket from its own thread ({@code destroy} may be called from
 * any thread), so its {@code error} and {@code close} events arrive on the I/O thread as usual.
 */
public final class FrameTimeouts {
  private final Socket socket;
  private final long firstNanos;
  private final long frameNanos;

  /** System.nanoTime() by which the first message must be complete; 0 once it is, or when off. */
  private volatile long firstDeadline;

  /**
   * System.nanoTime() by which the frame in progress must be complete; 0 between frames, or when
   * off.
   */
  private volatile long frameDeadline;

  private ScheduledFuture<?> task;
  private long taskAt;
  private boolean stopped;

  private FrameTimeouts(Socket socket, Duration first, Duration frame) {
    this.socket = java.util.Objects.requireNonNull(socket, "socket");
    this.firstNanos = first.toNanos();
    this.frameNanos = frame.toNanos();
  }

  /**
   * Starts the deadlines of a freshly accepted connection; the timer is cancelled when the socket
   * closes.
   *
   * @param socket the accepted connection
   * @param firstFrameTimeout the deadline for the first complete message; {@link Duration#ZERO} for
   *     none
   * @param frameTimeout the deadline for each frame once its first byte has arrived; {@link
   *     Duration#ZERO} for none
   * @return the deadlines (with both off, {@link #afterRead} does nothing)
   * @throws IllegalArgumentException if a timeout is negative
   */
  public static FrameTimeouts start(
      Socket socket, Duration firstFrameTimeout, Duration frameTimeout) {
    if (firstFrameTimeout.isNegative() || frameTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "timeouts must be >= 0: " + firstFrameTimeout + ", " + frameTimeout);
    }
    FrameTimeouts t = new FrameTimeouts(socket, firstFrameTimeout, frameTimeout);
    if (t.firstNanos == 0 && t.frameNanos == 0) {
      return t;
    }
    socket.onClose(hadError -> t.stop());
    if (t.firstNanos > 0) {
      t.firstDeadline = System.nanoTime() + t.firstNanos;
      t.arm(t.firstDeadline);
    }
    return t;
  }

  /**
   * Moves the deadlines after a read has been decoded: a completed message meets the first-frame
   * deadline; an unfinished frame starts the frame deadline (a new one if this read completed a
   * message), and none clears it.
   *
   * @param completed whether the read completed at least one message
   * @param partial whether a frame is unfinished after it
   */
  public void afterRead(boolean completed, boolean partial) {
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
    task =
        MessageTimers.get()
            .schedule(this::fire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    synchronized (this) {
      task = null;
    }
    long now = System.nanoTime();
    long first = firstDeadline;
    long frame = frameDeadline;
    if (first != 0 && now - first >= 0) {
      socket.destroy(
          expired(
              "no complete message within " + millis(firstNanos) + " ms of connecting",
              "firstFrameTimeout"));
    } else if (frame != 0 && now - frame >= 0) {
      socket.destroy(
          expired(
              "a frame was not completed within " + millis(frameNanos) + " ms of its first byte",
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
    return NetException.withMessage(
        ErrorCode.ETIMEDOUT,
        "read",
        peer,
        "read ETIMEDOUT: " + what + " (" + option + ")" + (peer.isEmpty() ? "" : " " + peer));
  }
}
