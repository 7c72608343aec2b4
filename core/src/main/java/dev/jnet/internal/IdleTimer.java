package dev.jnet.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Node's idle timer ({@code socket.setTimeout}): fires once per idle period of the given length,
 * re-armed by activity in either direction. Activity only stamps a time; the timer reschedules
 * itself lazily, so a busy socket costs no timer churn. Loop-confined.
 */
final class IdleTimer {
  private final EventLoop loop;
  private final Runnable onIdle;
  private long idleNanos;
  private long lastActivity;
  private boolean fired;
  private ScheduledFuture<?> task;

  IdleTimer(EventLoop loop, Runnable onIdle) {
    this.loop = loop;
    this.onIdle = onIdle;
  }

  void arm(long nanos) {
    cancel();
    idleNanos = nanos;
    fired = false;
    if (nanos > 0) {
      lastActivity = System.nanoTime();
      schedule(nanos);
    }
  }

  void touch() {
    if (idleNanos > 0) {
      lastActivity = System.nanoTime();
      if (fired) {
        fired = false;
        schedule(idleNanos);
      }
    }
  }

  void cancel() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    idleNanos = 0;
  }

  private void schedule(long delay) {
    task = loop.schedule(this::check, delay, TimeUnit.NANOSECONDS);
  }

  private void check() {
    task = null;
    if (idleNanos == 0) {
      return;
    }
    long idleFor = System.nanoTime() - lastActivity;
    if (idleFor >= idleNanos) {
      fired = true;
      onIdle.run();
    } else {
      schedule(idleNanos - idleFor);
    }
  }
}
