package dev.jnet.ipc.internal.pipe;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import java.nio.channels.SelectableChannel;

/**
 * A FIFO end on a Netty NIO loop ({@link FifoEngine#SELECTOR}): its {@link SelectableFifo} channel
 * registered with the loop's selector. A selector is level-triggered, so the interest is on only
 * while the owner waits ({@link #interest}): a ready end nobody reads, or the end of a peer that
 * left, would otherwise wake the loop at every select. Registering starts with the interest the
 * owner asked for at construction.
 *
 * <p>Threading: every method runs on the loop the end is registered with.
 */
final class NioFifoHandle extends FifoHandle implements NioIoHandle {
  private final NioIoOps ops;
  private boolean wanted;

  /**
   * Wraps an end.
   *
   * @param fifo a selectable end ({@link FifoEnd#selectable()})
   * @param write watch for {@code OP_WRITE}, else {@code OP_READ}
   * @param wanted the interest until {@link #interest} says otherwise
   * @param listener told whenever the end is ready while wanted
   */
  NioFifoHandle(FifoEnd fifo, boolean write, boolean wanted, Listener listener) {
    super(fifo, listener);
    this.ops = write ? NioIoOps.WRITE : NioIoOps.READ;
    this.wanted = wanted;
  }

  @Override
  void watch(IoRegistration r) {
    r.submit(wanted ? ops : NioIoOps.NONE);
  }

  @Override
  void interest(boolean on) {
    if (on == wanted) {
      return;
    }
    wanted = on;
    IoRegistration r = registration();
    if (r != null && r.isValid()) {
      r.submit(on ? ops : NioIoOps.NONE);
    }
  }

  @Override
  boolean hangUp(IoEvent event) {
    return false; // the selector reports the end ready until EOF is read
  }

  @Override
  public SelectableChannel selectableChannel() {
    return fifo().selectable();
  }
}
