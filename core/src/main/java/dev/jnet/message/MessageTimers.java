package dev.jnet.message;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one daemon thread that fires request timeouts and reconnect delays (never listeners of a
 * socket).
 */
final class MessageTimers {
  private static final class Holder {
    static final ScheduledExecutorService TIMERS = create();
  }

  private MessageTimers() {}

  static ScheduledExecutorService get() {
    return Holder.TIMERS;
  }

  private static ScheduledExecutorService create() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("jnet-message-timer");
              t.setDaemon(true);
              return t;
            });
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
