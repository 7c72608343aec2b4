package dev.jnet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The receive-buffer allocator of an epoll TCP channel, wrapped to see what Netty's {@code
 * spliceTo} moves: Netty reports each {@code splice(2)} from the socket through the channel's
 * {@link RecvByteBufAllocator.Handle#lastBytesRead(int)}, as it reports each {@code read(2)}, but
 * hands the spliced bytes to no handler. A read is announced by {@code allocate} (the buffer it
 * reads into); a splice by {@code guess} (how much it may move). So every {@code lastBytesRead} not
 * preceded by an {@code allocate} is spliced bytes, and goes to the {@link #listen listener}: the
 * source's {@code bytesRead}, the destination's {@code bytesWritten}, both idle timers.
 *
 * <p>Netty creates a channel's handle once, at its first read, so the meter is installed when jnet
 * configures the channel, before it is registered; {@link #of} answers only for a channel whose
 * handle is the meter's.
 *
 * <p>Threads: confined to the channel's loop.
 */
final class SpliceMeter implements RecvByteBufAllocator {
  private final RecvByteBufAllocator delegate;
  private boolean created;
  private IntConsumer listener;

  private SpliceMeter(RecvByteBufAllocator delegate) {
    this.delegate = delegate;
  }

  /** Installs a meter on an epoll TCP channel (once; a no-op on any other channel). */
  static void install(Channel ch) {
    if (ch instanceof EpollSocketChannel) {
      ChannelConfig config = ch.config();
      if (!(config.getRecvByteBufAllocator() instanceof SpliceMeter)) {
        config.setRecvByteBufAllocator(new SpliceMeter(config.getRecvByteBufAllocator()));
      }
    }
  }

  /**
   * Returns the meter that sees {@code ch}'s splices, or null when there is none (another channel,
   * or a handle Netty created before the meter was installed). Loop only.
   */
  static SpliceMeter of(Channel ch) {
    if (ch.config().getRecvByteBufAllocator() instanceof SpliceMeter m) {
      ch.unsafe().recvBufAllocHandle(); // creates the handle now if no read did yet
      return m.created ? m : null;
    }
    return null;
  }

  /** Sends the count of each splice from the socket to {@code l}; null stops. */
  void listen(IntConsumer l) {
    listener = l;
  }

  @Override
  public Handle newHandle() {
    Handle h = delegate.newHandle();
    if (h instanceof ExtendedHandle e) {
      created = true;
      return new Metered(e);
    }
    return h;
  }

  private final class Metered implements ExtendedHandle {
    private final ExtendedHandle h;
    private boolean reading; // an allocate announced a read(2): its count is no splice

    Metered(ExtendedHandle h) {
      this.h = h;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      reading = true;
      return h.allocate(alloc);
    }

    @Override
    public int guess() {
      reading = false; // Netty's splice asks how much it may move
      return h.guess();
    }

    @Override
    public void lastBytesRead(int bytes) {
      h.lastBytesRead(bytes);
      if (reading) {
        reading = false;
      } else if (bytes > 0 && listener != null) {
        listener.accept(bytes);
      }
    }

    @Override
    public void reset(ChannelConfig config) {
      h.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      h.incMessagesRead(numMessages);
    }

    @Override
    public int lastBytesRead() {
      return h.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      h.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return h.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return h.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return h.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      h.readComplete();
    }
  }
}
