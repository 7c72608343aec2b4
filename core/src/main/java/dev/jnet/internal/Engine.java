package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.IoEngine;
import dev.jnet.spi.Log;
import dev.jnet.spi.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one I/O engine of the process: the Netty event-loop group (epoll, or NIO as fallback or when
 * {@code -Djnet.transport=nio}, or io_uring when {@code -Djnet.transport=io_uring}), the transports
 * found through {@link ServiceLoader}, an executor for blocking work (host name lookups), and the
 * reference count that keeps the JVM alive while something is open, as Node's loop does.
 *
 * <p>io_uring is opt-in. Where it is asked for but not available (kernel, {@code
 * io_uring_disabled}, native library), one warning names the cause and the engine runs epoll (or
 * NIO) instead. Under io_uring, an endpoint its transport has no io_uring channel for ({@link
 * ChannelTransport#runsOn}) gets {@link #forTransport a second engine}: epoll loops of the same
 * count, started on first use, sharing this one's executor, transports and reference count; one
 * line per transport says so.
 *
 * <p>The loop threads are daemons; a single non-daemon "jnet-keepalive" thread lives while the
 * reference count is above zero, so the JVM exits by itself once nothing is {@code ref()}ed (a
 * program whose main thread outlives its sockets, such as the CLI, turns that thread off with
 * {@code -Djnet.keepalive=false}).
 */
public final class Engine implements IoEngine {
  private static final Object LOCK = new Object();
  private static int configuredThreads = 1;
  private static volatile Engine instance;

  private final Kind kind;
  private final MultiThreadIoEventLoopGroup group;
  private final List<ChannelTransport> transports;

  /** The io_uring engine whose epoll loops this is; null for the process engine. */
  private final Engine parent;

  private final int threads;
  private Engine
      epollLoops; // under io_uring, for transports without io_uring channels; guarded by this
  private final Set<String> announced = new HashSet<>(); // guarded by this

  /**
   * Providers found but not usable (not a {@link ChannelTransport}), reported once at start and in
   * errors.
   */
  private final List<Transport> unusable;

  private final ExecutorService blocking;
  private final Object refLock = new Object();
  private int refs;
  private Thread keepAlive;

  /**
   * False when the program's own main thread outlives every socket ({@code -Djnet.keepalive=false};
   * the CLI sets it, since its main thread waits for the command and then exits): no keep-alive
   * thread is started, which spares a one-shot run a thread start on its critical path.
   */
  private final boolean holdJvm =
      !"false".equalsIgnoreCase(System.getProperty("jnet.keepalive", ""));

  private Engine(int threads) {
    this.threads = threads;
    parent = null;
    kind = choose(System.getProperty("jnet.transport", ""));
    group = newGroup(kind, threads, "jnet-io");
    unusable = new ArrayList<>();
    blocking =
        new ThreadPoolExecutor(
            0,
            64,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new DefaultThreadFactory("jnet-blocking", true));
    transports = new ArrayList<>();
    for (Transport t : ServiceLoader.load(Transport.class, Engine.class.getClassLoader())) {
      if (t instanceof ChannelTransport nt) {
        transports.add(nt);
      } else {
        unusable.add(t);
        Log.get()
            .warning(
                "jnet: the transport provider "
                    + t.getClass().getName()
                    + " ("
                    + t.scheme()
                    + ":) is not a "
                    + ChannelTransport.class.getName()
                    + "; jnet's engine cannot drive it and ignores it");
      }
    }
    Log.fine(
        () ->
            "jnet engine: " + name() + ", " + threads + " I/O thread(s), transports " + schemes());
  }

  /** The epoll loops of an io_uring engine. */
  private Engine(Engine parent) {
    this.parent = parent;
    threads = parent.threads;
    kind = Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
    group = newGroup(kind, threads, "jnet-io-" + kind.engineName());
    blocking = parent.blocking;
    transports = parent.transports;
    unusable = parent.unusable;
  }

  /** Picks the engine {@code -Djnet.transport} asks for, where the machine has it. */
  private static Kind choose(String wanted) {
    String w = wanted.trim().toLowerCase(Locale.ROOT);
    if (w.equals("nio")) {
      return Kind.NIO;
    }
    if (w.equals("io_uring")) {
      if (IoUring.isAvailable()) {
        return Kind.IO_URING;
      }
      Kind instead = Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
      Log.get()
          .warning(
              "jnet: -Djnet.transport=io_uring, but io_uring is not available here ("
                  + IoUring.unavailabilityCause()
                  + "); running on "
                  + instead.engineName()
                  + " instead");
      return instead;
    }
    return Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
  }

  private static MultiThreadIoEventLoopGroup newGroup(Kind kind, int threads, String prefix) {
    IoHandlerFactory factory =
        switch (kind) {
          case EPOLL -> EpollInterest.factory(); // Netty's, keeping a half-closed writer in the set
          case IO_URING -> IoUringIoHandler.newFactory();
          case NIO -> NioIoHandler.newFactory();
        };
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(prefix, true), factory);
  }

  /**
   * Returns the engine an endpoint's channels run on: this one, or, under io_uring where the
   * transport has no io_uring channel for it, this engine's epoll loops (started on first use; one
   * logged line per transport).
   *
   * @param transport the transport, or null (none found)
   * @param endpoint the endpoint connected to or listened on
   * @return the engine to hand the transport and to register the channels on
   */
  public Engine forTransport(ChannelTransport transport, Endpoint endpoint) {
    if (transport == null || transport.runsOn(kind, endpoint)) {
      return this;
    }
    synchronized (this) {
      if (epollLoops == null) {
        epollLoops = new Engine(this);
      }
      if (announced.add(transport.scheme())) {
        String other = epollLoops.name();
        Log.get()
            .info(
                "jnet: the "
                    + transport.scheme()
                    + ": transport has no "
                    + name()
                    + " channel for "
                    + endpoint
                    + "; such sockets run on "
                    + other
                    + " loops (jnet-io-"
                    + other
                    + ") beside the "
                    + name()
                    + " engine (said once per transport)");
      }
      return epollLoops;
    }
  }

  /**
   * Tells whether the engine has started.
   *
   * @return true once {@link #get()} has run
   */
  public static boolean isStarted() {
    return instance != null;
  }

  /**
   * Returns the engine, starting it on first use.
   *
   * @return the engine
   */
  public static Engine get() {
    Engine e = instance;
    if (e == null) {
      synchronized (LOCK) {
        e = instance;
        if (e == null) {
          e = new Engine(configuredThreads);
          instance = e;
        }
      }
    }
    return e;
  }

  /**
   * Sets the thread count before the engine starts.
   *
   * @param threads one or more
   */
  public static void configureThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1: " + threads);
    }
    synchronized (LOCK) {
      if (instance != null && threads != configuredThreads) {
        throw new IllegalStateException(
            "the jnet engine has already started with "
                + configuredThreads
                + " I/O thread(s); call Net.ioThreads before creating any socket or server");
      }
      configuredThreads = threads;
    }
  }

  /**
   * Returns {@code epoll}, {@code io_uring} or {@code nio}.
   *
   * @return the engine name
   */
  @Override
  public String name() {
    return kind.engineName();
  }

  @Override
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the event-loop group.
   *
   * @return the group
   */
  @Override
  public MultiThreadIoEventLoopGroup group() {
    return group;
  }

  /**
   * Picks the loop for a new socket or server.
   *
   * @return an event loop
   */
  public EventLoop nextLoop() {
    return group.next();
  }

  /**
   * Tells whether the calling thread is one of this engine's I/O threads.
   *
   * @return true on a loop thread
   */
  public boolean onLoopThread() {
    if (parent != null) {
      return parent.onLoopThread();
    }
    for (io.netty.util.concurrent.EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    Engine more;
    synchronized (this) {
      more = epollLoops;
    }
    if (more != null) {
      for (io.netty.util.concurrent.EventExecutor e : more.group) {
        if (e.inEventLoop()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns the executor for blocking work such as host-name lookups.
   *
   * @return the executor
   */
  @Override
  public ExecutorService blocking() {
    return blocking;
  }

  /**
   * Finds the transport for an endpoint.
   *
   * @param endpoint the endpoint
   * @return the transport
   * @throws NetException {@code ERR_NO_TRANSPORT} if none is on the class path
   */
  public ChannelTransport transport(Endpoint endpoint) throws NetException {
    for (ChannelTransport t : transports) {
      if (t.handles(endpoint)) {
        return t;
      }
    }
    String module =
        switch (endpoint.scheme()) {
          case "tcp" -> "jnet-tcp";
          default -> "jnet-ipc";
        };
    for (Transport t : unusable) {
      if (t.handles(endpoint)) {
        throw NetException.withMessage(
            ErrorCode.ERR_NO_TRANSPORT,
            "",
            endpoint.address(),
            "ERR_NO_TRANSPORT: no usable transport for "
                + endpoint
                + " ("
                + t.getClass().getName()
                + " claims it but is not a "
                + ChannelTransport.class.getSimpleName()
                + ")");
      }
    }
    throw NetException.withMessage(
        ErrorCode.ERR_NO_TRANSPORT,
        "",
        endpoint.address(),
        "ERR_NO_TRANSPORT: no transport for "
            + endpoint
            + " (schemes available: "
            + schemes()
            + "; put dev.jnet:"
            + module
            + " on the class path)");
  }

  private List<String> schemes() {
    List<String> s = new ArrayList<>();
    for (ChannelTransport t : transports) {
      s.add(t.scheme());
    }
    return s;
  }

  /** Counts one more open thing that keeps the JVM alive. */
  public void ref() {
    if (parent != null) {
      parent.ref();
      return;
    }
    synchronized (refLock) {
      if (refs++ == 0 && holdJvm) {
        Thread t = new Thread(this::holdOpen, "jnet-keepalive");
        t.setDaemon(false);
        keepAlive = t;
        t.start();
      }
    }
  }

  /** Counts one open thing less. */
  public void unref() {
    if (parent != null) {
      parent.unref();
      return;
    }
    synchronized (refLock) {
      if (refs <= 0) {
        throw new IllegalStateException("unbalanced unref");
      }
      if (--refs == 0) {
        keepAlive = null;
        refLock.notifyAll();
      }
    }
  }

  private void holdOpen() {
    synchronized (refLock) {
      while (refs > 0 && keepAlive == Thread.currentThread()) {
        try {
          refLock.wait();
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
