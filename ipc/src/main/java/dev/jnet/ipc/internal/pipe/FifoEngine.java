package dev.jnet.ipc.internal.pipe;

import dev.jnet.spi.IoEngine;
import dev.jnet.spi.Log;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which engine moves a {@code pipe:} connection's bytes.
 *
 * <ul>
 *   <li>{@link #EPOLL}: the two FIFO descriptors, non-blocking, are registered with the
 *       connection's Netty epoll loop as {@link EpollIoHandle}s, next to every socket of that loop;
 *       no thread per connection. The default under the epoll I/O engine.
 *   <li>{@link #THREADS}: blocking {@code read(2)} and {@code write(2)} on a reader and a writer
 *       thread per connection, handing results to the loop. The only choice under NIO, whose
 *       selector cannot watch a FIFO, and the fallback when junixsocket's native library (needed to
 *       make a descriptor non-blocking) is missing.
 * </ul>
 *
 * <p>{@code -Djnet.pipe.engine=threads} forces the thread engine under epoll too (to compare them);
 * {@code epoll} and {@code auto} (the default) pick epoll where it can run. Immutable; thread-safe.
 */
enum FifoEngine {
  /** FIFO descriptors on the epoll loop. */
  EPOLL {
    @Override
    FifoIo newIo(FifoPipeChannel channel, FifoEnd in, FifoEnd out) {
      return new EpollFifoIo(channel, in, out);
    }

    @Override
    boolean isCompatible(EventLoop loop) {
      return loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class);
    }
  },
  /** A reader and a writer thread per connection. */
  THREADS {
    @Override
    FifoIo newIo(FifoPipeChannel channel, FifoEnd in, FifoEnd out) {
      return new ThreadFifoIo(channel, in, out);
    }

    @Override
    boolean isCompatible(EventLoop loop) {
      return true; // no registration: the FIFO threads hand work to any loop
    }
  };

  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /**
   * Makes the I/O of one connection.
   *
   * @param channel the connection
   * @param in the read end, opened for this engine
   * @param out the write end, opened for this engine
   * @return its I/O, not started
   */
  abstract FifoIo newIo(FifoPipeChannel channel, FifoEnd in, FifoEnd out);

  /**
   * Tells whether a channel of this engine can live on a loop.
   *
   * @param loop the loop
   * @return true if compatible
   */
  abstract boolean isCompatible(EventLoop loop);

  /**
   * Tells whether this engine's FIFO ends are opened non-blocking.
   *
   * @return true for epoll
   */
  boolean nonBlocking() {
    return this == EPOLL;
  }

  /**
   * Picks the engine for connections of an I/O engine, honouring {@code jnet.pipe.engine}.
   *
   * @param engine jnet's I/O engine
   * @return the FIFO engine
   */
  static FifoEngine select(IoEngine engine) {
    String wanted = System.getProperty("jnet.pipe.engine", "auto").toLowerCase(Locale.ROOT);
    if (wanted.equals("threads") || !engine.isEpoll()) {
      return THREADS;
    }
    if (!FifoEnd.nonBlockingSupported()) {
      if (!WARNED.getAndSet(true)) {
        Log.get()
            .warning(
                "jnet: pipe: falls back to a thread per direction: junixsocket's native library, which makes "
                    + "FIFO descriptors non-blocking, is not available");
      }
      return THREADS;
    }
    return EPOLL;
  }
}
