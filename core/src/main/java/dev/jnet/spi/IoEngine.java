package dev.jnet.spi;

import dev.jnet.internal.Engine;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ExecutorService;

/**
 * The shared I/O engine as a transport sees it: which engine runs ({@link Kind}: native epoll, Java
 * NIO, or the opt-in io_uring, chosen once per process), its event loops, and the executor for
 * blocking work. A transport picks its channel classes by {@link #kind()} and never blocks a loop:
 * file-system work and name lookups go to {@link #blocking()}.
 *
 * <p>Under io_uring, for an endpoint its transport has no io_uring channel for ({@link
 * ChannelTransport#runsOn}), the transport is handed an epoll engine instead (epoll loops beside
 * the io_uring ones, started on first use and announced by one logged line), whose kind is {@link
 * Kind#EPOLL}.
 *
 * <p>Threading: thread-safe; every method may be called from any thread.
 */
public interface IoEngine {

  /**
   * Returns the engine of this process, starting it on first use.
   *
   * @return the engine
   */
  static IoEngine current() {
    return Engine.get();
  }

  /**
   * Tells whether this process's engine has started, without starting it.
   *
   * @return true once {@link #current()} (or anything that opens a socket) has run
   */
  static boolean started() {
    return Engine.isStarted();
  }

  /**
   * Returns {@code epoll}, {@code io_uring} or {@code nio}.
   *
   * @return the engine's name
   */
  String name();

  /**
   * Returns which engine runs, and so which channel family a transport creates.
   *
   * @return the kind
   */
  Kind kind();

  /**
   * Tells whether the native epoll engine runs (Linux); same as {@code kind() == Kind.EPOLL}.
   *
   * @return true for epoll
   */
  default boolean isEpoll() {
    return kind() == Kind.EPOLL;
  }

  /**
   * Returns the event loops every jnet channel of this process is registered on.
   *
   * @return the group
   */
  EventLoopGroup group();

  /**
   * Returns the executor for blocking work (host-name lookups, binds that touch the file system).
   *
   * @return the executor
   */
  ExecutorService blocking();

  /**
   * The engines: each drives one family of Netty channels.
   *
   * <p>Threading: an immutable enum.
   */
  enum Kind {
    /** Netty's native epoll channels (Linux); the default where available. */
    EPOLL("epoll"),
    /** Netty's native io_uring channels (Linux 5.14 and later); opt-in. */
    IO_URING("io_uring"),
    /** The JDK's NIO channels (every platform). */
    NIO("nio");

    private final String engineName;

    Kind(String engineName) {
      this.engineName = engineName;
    }

    /**
     * Returns the name {@link IoEngine#name()} and {@code -Djnet.transport} use.
     *
     * @return {@code epoll}, {@code io_uring} or {@code nio}
     */
    public String engineName() {
      return engineName;
    }
  }
}
