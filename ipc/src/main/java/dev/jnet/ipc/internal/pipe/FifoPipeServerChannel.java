package dev.jnet.ipc.internal.pipe;

import dev.jnet.PeerCredentials;
import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@code pipe:} listener as a Netty server channel. It reads handshake lines from the well-known
 * FIFO (held open read-write, so it never sees EOF between clients, and its open never blocks):
 * under a loop engine (epoll, a selector) the FIFO is non-blocking and registered with the server's
 * loop, under the thread engine one thread reads it. A client that asked for the accept byte is
 * accepted on the loop where the engine {@linkplain FifoEngine#opensWithoutThreads() opens without
 * threads}; any other announced FIFO pair is opened on short-lived opener threads (an open blocks
 * until the client opens its end) and then handed to the loop as an accepted {@link
 * FifoPipeChannel} as soon as both ends are open (so a client that died after announcing delays
 * nobody else). FIFO pairs that were never announced are reclaimed ({@link Leftovers}).
 *
 * <p>Threading: channel state and the accept order live on the loop; the opener threads only open
 * FIFOs and hand the result to the loop.
 */
final class FifoPipeServerChannel extends AbstractServerChannel {
  private static final long ACCEPT_OPEN_MS = 10_000;

  private final ChannelConfig config = new ServerConfig(this);
  private final FifoEngine engine;
  private volatile boolean open = true;
  private volatile PipeAddress local;
  private volatile FifoEnd wellKnown;
  private FifoHandle wellKnownHandle;
  private final Handshake.LineSplitter lines = new Handshake.LineSplitter();
  private ByteBuffer readBuf;

  /** IDs announced and being opened: never reclaimed as leftovers meanwhile. */
  private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final long leftoverMs = Long.getLong("jnet.pipe.leftoverMs", ACCEPT_OPEN_MS);
  private java.util.concurrent.ScheduledFuture<?> sweeper;

  /** An announced client after its opens: the pair, or null if it never opened it. */
  private record Accepted(FifoEnd[] pair, PeerCredentials peer) {}

  /**
   * A server whose connections use an engine.
   *
   * @param engine the engine its accepted channels use
   */
  FifoPipeServerChannel(FifoEngine engine) {
    this.engine = engine;
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return engine.isCompatible(loop);
  }

  @Override
  protected SocketAddress localAddress0() {
    return local;
  }

  @Override
  protected void doBind(SocketAddress localAddress) throws Exception {
    PipeAddress a = (PipeAddress) localAddress;
    if (a.lease() == null) {
      throw new IOException("a pipe: server binds through its transport's bind plan");
    }
    FifoEnd w = FifoEnd.openReadWrite(a.lease().wellKnown(), engine);
    wellKnown = w;
    local = a;
    long period = Math.max(100, leftoverMs / 2);
    sweeper =
        eventLoop().scheduleAtFixedRate(this::sweepLater, period, period, TimeUnit.MILLISECONDS);
    if (engine.nonBlocking()) {
      wellKnownHandle = engine.handle(w, false, true, new Announcements());
      wellKnownHandle.register((IoEventLoop) eventLoop());
      return;
    }
    try {
      FifoThreads.IO.execute(this::acceptLoop);
    } catch (RejectedExecutionException e) {
      Fifos.close(w);
      throw e;
    }
  }

  /** A loop engine's reader of the well-known FIFO, on the loop. */
  private final class Announcements implements FifoHandle.Listener {
    private final byte[] bytes = new byte[4096];

    @Override
    public void ready(boolean hangUp) {
      if (readBuf == null) {
        readBuf = ByteBuffer.allocateDirect(bytes.length);
      }
      while (open && !wellKnownHandle.isClosed()) {
        int n;
        try {
          n = wellKnownHandle.read(readBuf, 0, bytes.length);
        } catch (IOException e) {
          return; // closed
        }
        if (n <= 0) {
          return; // EAGAIN: read everything (never EOF: we hold a writer)
        }
        readBuf.get(0, bytes, 0, n);
        lines.feed(bytes, 0, n, FifoPipeServerChannel.this::announced);
      }
    }

    @Override
    public void registrationFailed(Throwable cause) {
      pipeline().fireExceptionCaught(cause);
      close();
    }
  }

  /** The thread engine's reader of the well-known FIFO, on a thread of its own. */
  private void acceptLoop() {
    FileChannel c = wellKnown.channel();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (open) {
      buf.clear();
      int n;
      try {
        n = c.read(buf);
      } catch (IOException e) {
        return; // closed
      }
      if (n < 0) {
        return;
      }
      lines.feed(buf.array(), 0, n, this::announced);
    }
  }

  private void announced(Optional<Handshake.Hello> hello) {
    if (hello.isEmpty() || !open) {
      return; // a malformed line names no FIFO pair: nobody to answer
    }
    Handshake.Hello h = hello.get();
    if (h.acceptByte() && engine.opensWithoutThreads()) {
      acceptNow(h);
      return;
    }
    inFlight.add(h.id());
    try {
      FifoThreads.OPENERS.execute(() -> accept(h));
    } catch (RejectedExecutionException e) {
      inFlight.remove(h.id()); // shutting down
    }
  }

  /**
   * Opens one announced pair on an opener thread and hands it to the loop as soon as both ends are
   * open, whatever became of the clients announced before it: a client that died after announcing
   * costs only its own opener threads, until the open deadline, never the next client's time.
   */
  private void accept(Handshake.Hello h) {
    Accepted a;
    try {
      a = open(h);
    } finally {
      inFlight.remove(h.id());
    }
    if (a == null) {
      return;
    }
    try {
      eventLoop().execute(() -> deliver(a.pair(), a.peer()));
    } catch (RejectedExecutionException e) {
      Fifos.close(a.pair()[0]);
      Fifos.close(a.pair()[1]);
    }
  }

  /**
   * A client that asked for the accept byte, under a loop engine with {@link NativeFifo}, on the
   * loop: it holds both of its ends, so this server's ends open at once without blocking, and the
   * connection is accepted without a thread. A client that does not hold them (it lied, or died)
   * gets nothing; its pair is deleted.
   */
  private void acceptNow(Handshake.Hello h) {
    Path up = local.dir().resolve(h.id() + ".up");
    Path down = local.dir().resolve(h.id() + ".down");
    PipeTrust.Stat owner = announcedPair(up, down);
    if (owner == null) {
      return;
    }
    FifoEnd in = null;
    FifoEnd out = null;
    try {
      // The write end first: once it is open, giving up (a failed open, no writer) closes it
      // without the byte, and the waiting client hears ECONNRESET instead of waiting on.
      boolean selectable = engine == FifoEngine.SELECTOR;
      out = FifoEnd.openNow(down, true, selectable);
      if (out != null) {
        in = FifoEnd.openNow(up, false, selectable);
      }
      // both of the client's ends must be there: its reader (else ENXIO), and its writer (else a
      // connection nobody would ever end)
      if (out != null && in.probeWriter() >= 0 && out.writeAcceptByte()) {
        local.lease().accepted(up); // before this server can stop listening: see Lease.accepted
        deliver(new FifoEnd[] {in, out}, new PeerCredentials(h.pid(), owner.uid(), owner.gid()));
        return;
      }
    } catch (IOException e) {
      // gone meanwhile: the line names no pair any more
    }
    Fifos.close(in);
    Fifos.close(out);
    Fifos.delete(up, down);
  }

  /** The owner of an announced pair's {@code .up}, or null unless both are FIFOs. */
  private static PipeTrust.Stat announcedPair(Path up, Path down) {
    try {
      PipeTrust.Stat owner = PipeTrust.lstat(up);
      return owner.isFifo() && PipeTrust.lstat(down).isFifo() ? owner : null;
    } catch (IOException e) {
      return null; // missing: the line names no pair
    }
  }

  private void sweepLater() {
    try {
      FifoThreads.OPENERS.execute(() -> Leftovers.reclaim(local.dir(), inFlight, leftoverMs));
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  private Accepted open(Handshake.Hello h) {
    Path dir = local.dir();
    Path up = dir.resolve(h.id() + ".up");
    Path down = dir.resolve(h.id() + ".down");
    PipeTrust.Stat owner = announcedPair(up, down);
    if (owner == null) {
      return null;
    }
    long deadline = System.nanoTime() + ACCEPT_OPEN_MS * 1_000_000L;
    FifoEnd[] pair;
    try {
      pair =
          OpenWatchdog.open(
              new Path[] {up, down},
              new boolean[] {false, true},
              engine,
              () -> {
                if (!open) {
                  return new IOException("server closed");
                }
                return System.nanoTime() - deadline > 0
                    ? new IOException("client did not open its FIFOs")
                    : null;
              },
              e -> {}); // nobody waits for it but this opener: the client is gone or refused
    } catch (IOException e) {
      Fifos.delete(up, down);
      return null;
    }
    if (h.acceptByte()) {
      boolean written;
      try {
        written = pair[1].writeAcceptByte();
      } catch (IOException e) {
        written = false;
      }
      if (!written) {
        Fifos.close(pair[0]);
        Fifos.close(pair[1]);
        Fifos.delete(up, down);
        return null;
      }
    }
    local.lease().accepted(up); // before this server can stop listening: see Lease.accepted
    return new Accepted(pair, new PeerCredentials(h.pid(), owner.uid(), owner.gid()));
  }

  private void deliver(FifoEnd[] pair, PeerCredentials peer) {
    if (!isActive()) {
      Fifos.close(pair[0]);
      Fifos.close(pair[1]);
      return;
    }
    pipeline().fireChannelRead(new FifoPipeChannel(this, engine, pair[0], pair[1], local, peer));
    pipeline().fireChannelReadComplete();
  }

  @Override
  protected void doClose() {
    open = false;
    if (sweeper != null) {
      sweeper.cancel(false);
    }
    if (wellKnownHandle != null) {
      wellKnownHandle.close();
    } else {
      Fifos.close(wellKnown);
    }
  }

  @Override
  protected void doBeginRead() {
    // announcements are read as they come; core limits connections by closing extras, as on every
    // transport
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open && local != null;
  }

  /**
   * Netty's defaults; {@code SO_BACKLOG} is taken and ignored (announcements wait in the well-known
   * FIFO).
   */
  private static final class ServerConfig extends DefaultChannelConfig {
    ServerConfig(FifoPipeServerChannel channel) {
      super(channel);
    }

    @Override
    public <T> boolean setOption(io.netty.channel.ChannelOption<T> option, T value) {
      return option == io.netty.channel.ChannelOption.SO_BACKLOG || super.setOption(option, value);
    }
  }
}
