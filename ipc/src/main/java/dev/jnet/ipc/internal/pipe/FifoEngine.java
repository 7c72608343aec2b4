package dev.jnet.ipc.internal.pipe;

import dev.jnet.spi.IoEngine;
import dev.jnet.spi.Log;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.nio.NioIoHandle;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which engine moves a {@code pipe:} connection's bytes.
 *
 * <ul>
 *   <li>{@link #EPOLL}: the two FIFO descriptors, non-blocking, are registered with the
 *       connection's Netty epoll loop ({@link EpollFifoHandle}), next to every socket of that loop;
 *       no thread per connection. The default under the epoll I/O engine.
 *   <li>{@link #SELECTOR}: the same under the NIO I/O engine: the descriptors, made selectable
 *       ({@link SelectableFifo}), are registered with the connection's NIO loop's selector ({@link
 *       NioFifoHandle}). The default under NIO where {@link SelectableFifo} is available (Linux,
 *       with {@code java.base/sun.nio.fs} and {@code java.base/sun.nio.ch} opened to jnet).
 *   <li>{@link #THREADS}: blocking {@code read(2)} and {@code write(2)} on a reader and a writer
 *       thread per connection, handing results to the loop: under NIO where FIFOs cannot be made
 *       selectable (other systems, or the JDK's packages not opened), and under epoll when
 *       junixsocket's native library (needed to make a descriptor non-blocking) is missing.
 * </ul>
 *
 * <p>Both loop engines share one I/O ({@link LoopFifoIo}) and, where {@link NativeFifo} is
 * available, set connections up on their loops ({@link #opensWithoutThreads()}).
 *
 * <p>{@code -Djnet.pipe.engine=threads} forces the thread engine under both I/O engines (to compare
 * them); {@code auto} (the default) picks a loop engine where one can run. Immutable; thread-safe.
 */
enum FifoEngine {
  /** FIFO descriptors on the epoll loop. */
  EPOLL {
    @Override
    boolean isCompatible(EventLoop loop) {
      return loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class);
    }

    @Override
    FifoHandle handle(FifoEnd end, boolean write, boolean wanted, FifoHandle.Listener l) {
      return new EpollFifoHandle(end, write, l);
    }

    @Override
    boolean opensWithoutThreads() {
      return NativeFifo.available();
    }
  },
  /** Selectable FIFO descriptors on the NIO loop. */
  SELECTOR {
    @Override
    boolean isCompatible(EventLoop loop) {
      return loop instanceof IoEventLoop io && io.isCompatible(NioIoHandle.class);
    }

    @Override
    FifoHandle handle(FifoEnd end, boolean write, boolean wanted, FifoHandle.Listener l) {
      return new NioFifoHandle(end, write, wanted, l);
    }

    @Override
    boolean opensWithoutThreads() {
      return true; // only chosen where NativeFifo is available
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
   * Makes the I/O of one connection: {@link LoopFifoIo} for the loop engines.
   *
   * @param channel the connection
   * @param in the read end, opened for this engine
   * @param out the write end, opened for this engine
   * @return its I/O, not started
   */
  FifoIo newIo(FifoPipeChannel channel, FifoEnd in, FifoEnd out) {
    return new LoopFifoIo(channel, in, out, this);
  }

  /**
   * Tells whether a channel of this engine can live on a loop.
   *
   * @param loop the loop
   * @return true if compatible
   */
  abstract boolean isCompatible(EventLoop loop);

  /**
   * Watches a FIFO end on a loop of this engine (a loop engine only).
   *
   * @param end a non-blocking end, opened for this engine
   * @param write the end is written, else read
   * @param wanted whether its owner waits for it at first (a level-triggered handle watches only
   *     then; see {@link FifoHandle#interest})
   * @param l told when it is ready
   * @return the handle, not registered
   */
  FifoHandle handle(FifoEnd end, boolean write, boolean wanted, FifoHandle.Listener l) {
    throw new UnsupportedOperationException("the thread engine watches no FIFO on a loop");
  }

  /**
   * Tells whether connections are set up on the loops, with no thread blocking in {@code open(2)}:
   * a loop engine where {@link NativeFifo} is available (protocol section 3a, the accept byte).
   *
   * @return true if so
   */
  boolean opensWithoutThreads() {
    return false;
  }

  /**
   * Tells whether this engine's FIFO ends are opened non-blocking.
   *
   * @return true for the loop engines
   */
  boolean nonBlocking() {
    return this != THREADS;
  }

  /**
   * Picks the engine for connections of an I/O engine, honouring {@code jnet.pipe.engine}.
   *
   * @param engine jnet's I/O engine
   * @return the FIFO engine
   */
  static FifoEngine select(IoEngine engine) {
    String wanted = System.getProperty("jnet.pipe.engine", "auto").toLowerCase(Locale.ROOT);
    if (wanted.equals("threads")) {
      return THREADS;
    }
    if (engine.kind() == IoEngine.Kind.NIO && SelectableFifo.available()) {
      return SELECTOR;
    }
    if (!engine.isEpoll()) {
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
