package dev.jnet.internal;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Coalesces flushes on one I/O thread while it dispatches a batch of reads: writes made during the
 * batch are queued in their channels and flushed together when the batch ends, so an echo of 16
 * reads costs one {@code writev} rather than 16 {@code write}s, as in Netty's own echo example.
 */
final class FlushBatch {
  private static final FastThreadLocal<FlushBatch> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
          return new FlushBatch();
        }
      };

  private final ArrayList<Channel> pending = new ArrayList<>(4);
  private int depth;

  static FlushBatch current() {
    return CURRENT.get();
  }

  boolean isActive() {
    return depth > 0;
  }

  void begin() {
    depth++;
  }

  void add(Channel channel) {
    if (!pending.contains(channel)) {
      pending.add(channel);
    }
  }

  /** Ends one nesting level; the outermost flushes every channel written to. */
  void end() {
    if (--depth > 0) {
      return;
    }
    depth = 0;
    for (int i = 0; i < pending.size(); i++) {
      pending.get(i).flush();
    }
    pending.clear();
  }
}
