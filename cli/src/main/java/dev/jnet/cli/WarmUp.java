package dev.jnet.cli;

import dev.jnet.Net;

/**
 * The start-up of a one-shot connect, done on the second core while the first reads the command
 * line: one thread starts jnet's engine (Netty's epoll and the I/O thread), another Netty's buffer
 * allocator and the classes the first connection initializes next ({@code scan} and {@code echo}
 * start the engine alone this way). A class rather than a lambda: the first lambda's bootstrap
 * would hold main up before the threads start.
 */
final class WarmUp implements Runnable {
  /** Classes the first connection initializes next, in the order it does. */
  private static final String[] CLASSES = {
    "io.netty.channel.epoll.EpollSocketChannel",
    "io.netty.channel.epoll.EpollSocketChannelConfig",
    "io.netty.channel.DefaultChannelPipeline",
    "dev.jnet.internal.DefaultSocket",
    "dev.jnet.cli.session.Conversation",
    "dev.jnet.cli.session.StdinPump",
    "dev.jnet.cli.session.StdoutSink",
  };

  private static final long ENGINE_START_BOUND_MILLIS = 2000;
  private static volatile Thread engineStart;

  private final boolean buffers;

  private WarmUp(boolean buffers) {
    this.buffers = buffers;
  }

  /** Starts both warm-up threads (daemons); they only ever save time, never change what happens. */
  static void start() {
    startEngine();
    Thread buffers = new Thread(new WarmUp(true), "jnet-warm-up-buffers");
    buffers.setDaemon(true);
    buffers.start();
  }

  /** Starts the thread that starts the engine (a daemon). */
  static void startEngine() {
    Thread engine = new Thread(new WarmUp(false), "jnet-warm-up");
    engine.setDaemon(true);
    engine.start();
    engineStart = engine;
  }

  /**
   * Waits until the engine is started, if a warm-up is starting it: an engine half started at exit
   * would leave its I/O thread unparked, and HotSpot would wait 300 ms for it. A command that used
   * the engine waited for it already.
   */
  static void awaitEngine() {
    Thread engine = engineStart;
    if (engine != null) {
      try {
        engine.join(ENGINE_START_BOUND_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void run() {
    if (buffers) {
      io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(1).release();
      for (String name : CLASSES) {
        try {
          Class.forName(name, true, WarmUp.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          // only a warm-up: the connection loads what it needs anyway
        }
      }
    } else {
      Net.engine();
    }
  }
}
