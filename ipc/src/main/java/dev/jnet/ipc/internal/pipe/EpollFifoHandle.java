package dev.jnet.ipc.internal.pipe;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

/**
 * A FIFO end on a Netty epoll loop ({@link FifoEngine#EPOLL}), registered edge-triggered, once,
 * with a fixed interest. (In Netty 4.2 the first non-empty {@link IoRegistration#submit} adds the
 * descriptor to epoll, {@link EpollIoOps#NONE} removes it, and a later non-empty interest modifies
 * a descriptor that is no longer there; one submit per end avoids that trap and costs no {@code
 * epoll_ctl} per pause or resume.) Registering an end that is ready already reports an edge at
 * once.
 *
 * <p>Threading: every method runs on the loop the end is registered with.
 */
final class EpollFifoHandle extends FifoHandle implements EpollIoHandle {
  /**
   * Linux's {@code EPOLLHUP}, which epoll always reports and Netty's {@link EpollIoOps} does not
   * name.
   */
  private static final int EPOLLHUP = 0x010;

  private final EpollIoOps ops;

  /**
   * Wraps an end.
   *
   * @param fifo a non-blocking end
   * @param write watch for {@code EPOLLOUT}, else {@code EPOLLIN}
   * @param listener told of every edge
   */
  EpollFifoHandle(FifoEnd fifo, boolean write, Listener listener) {
    super(fifo, listener);
    this.ops = (write ? EpollIoOps.EPOLLOUT : EpollIoOps.EPOLLIN).with(EpollIoOps.EPOLLET);
  }

  @Override
  void watch(IoRegistration r) {
    r.submit(ops); // epoll_ctl(ADD)
  }

  @Override
  boolean hangUp(IoEvent event) {
    return (((EpollIoEvent) event).ops().value() & (EPOLLHUP | EpollIoOps.EPOLLERR.value())) != 0;
  }

  @Override
  public FileDescriptor fd() {
    return this;
  }
}
