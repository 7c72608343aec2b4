package dev.jnet.spi;

import dev.jnet.internal.Engine;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ExecutorService;

/**
 * The shared I/O engine as a transport sees it: which engine runs (native epoll or Java NIO, chosen
 * once per process), its event loops, and the executor for blocking work. A transport picks its
 * channel classes by {@link #isEpoll()} and never blocks a loop: file-system work and name lookups
 * go to {@link #blocking()}.
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
   * Returns {@code epoll} or {@code nio}.
   *
   * @return the engine's name
   */
  String name();

  /**
   * Tells whether the native epoll engine runs (Linux); otherwise Java NIO does.
   *
   * @return true for epoll
   */
  boolean isEpoll();

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
}
