package dev.jnet.ipc.internal.pipe;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client half of the protocol in {@code docs/pipe-protocol.md}, run off the loop: check that a
 * server listens, create the FIFO pair, announce it, open it, unlink it.
 */
final class PipeConnector {
  /** The one thread that announces clients, in the order of their connect calls. */
  static final java.util.concurrent.ExecutorService ANNOUNCER =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "jnet-pipe-announcer");
            t.setDaemon(true);
            return t;
          });

  /**
   * An open connection: the FIFO to write, the FIFO to read, and who owns the server's FIFO
   * (checked).
   */
  record Connection(FifoEnd out, FifoEnd in, PeerCredentials peer) {}

  private PipeConnector() {}

  /**
   * A client that announced its pair and now opens it, or waits for the server to open its own
   * ends: {@code in} (the read end of {@code down}) and {@code out} (the write end of {@code up})
   * are open already when {@link #announce} opened them before announcing, else null.
   */
  record Announced(
      PipeAddress address,
      Path up,
      Path down,
      FifoEnd in,
      FifoEnd out,
      PeerCredentials peer,
      Fifos.Abort abort) {}

  /**
   * The first half of a connect: checks that a server listens, creates the FIFO pair and announces
   * it. Callers run this on one thread for every client of the JVM ({@link #ANNOUNCER}), so lines
   * are written in the order of the {@code connect} calls and the server accepts in that order, as
   * a listen backlog would; or, under a loop engine where {@link NativeFifo} is available ({@link
   * FifoEngine#opensWithoutThreads()}: every call then returns without blocking), on the client
   * channel's event loop.
   *
   * @param a the server's address
   * @param expect who must own the directory and the well-known FIFO, checked before anything is
   *     written
   * @param timeoutMs the connect timeout, 0 for none
   * @param cancelled true once the channel was closed meanwhile
   * @param engine the client's engine; if it {@linkplain FifoEngine#opensWithoutThreads() opens
   *     without threads}: write the line without blocking ({@code EAGAIN} if the server's
   *     well-known FIFO is full), and if the server writes the accept byte (protocol section 3a),
   *     ask for it, and open both of this client's ends before announcing, without blocking (the
   *     write end of {@code up} through a read end of its own, held only while the write end
   *     opens): the server then opens its ends at once and accepts without a thread, and this
   *     client waits for the byte on its loop ({@link AcceptWait}) instead of in {@code open(2)}
   * @return the announced pair, to {@link #open}
   * @throws IOException a {@link NetException} ({@code ENOENT}, {@code ECONNREFUSED}, {@code
   *     EACCES} for a directory or FIFO of another owner, a link, or a directory others can write
   *     to), a timeout, or an I/O error
   */
  static Announced announce(
      PipeAddress a,
      PipeTrust.Expect expect,
      long timeoutMs,
      BooleanSupplier cancelled,
      FifoEngine engine)
      throws IOException {
    boolean openEnds = engine.opensWithoutThreads();
    Path dir = a.dir();
    Path wellKnown = dir.resolve(PipeDirectory.WELL_KNOWN);
    String ep = a.endpoint().address();
    if (!a.endpoint().name().startsWith("/")) {
      PipeTrust.checkDirectory(
          dir.getParent(), PipeTrust.Expect.self(), ep); // this user's own pipe folder
    }
    PipeTrust.checkDirectory(dir, expect, ep);
    PipeTrust.Stat server = PipeTrust.checkWellKnown(wellKnown, expect, ep);
    PipeDirectory.Serving serving = PipeDirectory.serving(dir);
    if (serving == PipeDirectory.Serving.NO) {
      throw refused(ep);
    }
    boolean acceptByte = openEnds && serving == PipeDirectory.Serving.WITH_ACCEPT_BYTE;
    FifoPool.Pair pair;
    try {
      // step 3 (made ahead without NativeFifo; checked: FIFOs this process owns)
      pair = FifoPool.SHARED.take(dir);
    } catch (IOException e) {
      throw PipeDirectory.isServing(dir) ? e : refused(ep);
    }
    Path up = pair.up();
    Path down = pair.down();
    long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : Long.MAX_VALUE;
    Fifos.Abort abort =
        () -> {
          if (cancelled.getAsBoolean()) {
            return new java.nio.channels.ClosedChannelException();
          }
          if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
            return new ConnectTimeoutException("connection timed out: " + ep);
          }
          return refusal(dir, up, ep);
        };
    PeerCredentials peer = new PeerCredentials(-1, server.uid(), server.gid());
    FifoEnd in = null;
    FifoEnd out = null;
    try {
      if (acceptByte) {
        boolean selectable = engine == FifoEngine.SELECTOR;
        in = FifoEnd.openNow(down, false, selectable);
        try (FifoEnd reader = FifoEnd.openNow(up, false, false)) {
          out = FifoEnd.openNow(up, true, selectable); // never null: it has a reader
        }
        if (out == null) {
          throw new IOException("cannot open " + up + " for writing");
        }
      }
      byte[] line = Handshake.encode(pair.id(), ProcessHandle.current().pid(), acceptByte);
      if (openEnds) {
        announceNow(wellKnown, line, ep);
      } else {
        // Read-write, which never blocks on Linux. A write-only open blocks until a reader comes,
        // and if the server closed and unlinked the FIFO meanwhile nothing can release it: this
        // thread, which announces every client of the JVM, stalled for 5 s per such connect (and
        // the opener leaked). A server that is gone is found by the pair's open, which aborts on
        // its refusal.
        FifoEnd w;
        try {
          w = FifoEnd.openReadWrite(wellKnown, FifoEngine.THREADS);
        } catch (java.nio.file.NoSuchFileException e) {
          throw refused(ep); // the server closed since it was checked: its FIFO is gone
        }
        try (w) {
          if (w.channel().write(ByteBuffer.wrap(line)) != line.length) {
            throw new IOException("short write of the pipe handshake");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      Fifos.close(in);
      Fifos.close(out);
      Fifos.delete(up, down);
      throw e;
    }
    return new Announced(a, up, down, in, out, peer, abort);
  }

  /**
   * Writes the handshake line without blocking ({@link NativeFifo}): a server that stopped reading
   * its well-known FIFO until it filled (64 KiB of lines) refuses the connect with {@code EAGAIN},
   * as a Unix socket's full accept queue does, and holds up no other connect of this process.
   */
  private static void announceNow(Path wellKnown, byte[] line, String ep) throws IOException {
    FifoEnd w;
    try {
      w = FifoEnd.openNow(wellKnown, true, false);
    } catch (java.nio.file.NoSuchFileException e) {
      throw refused(ep); // the server closed since it was checked: its FIFO is gone
    }
    if (w == null) {
      throw refused(ep); // nobody reads it: the server is gone
    }
    try (w) {
      int n = w.write(line);
      if (n == 0) {
        throw NetException.withMessage(
            ErrorCode.EAGAIN,
            "connect",
            ep,
            "connect EAGAIN " + ep + " (the server's announcements are not being read)");
      }
      if (n != line.length) {
        throw new IOException("short write of the pipe handshake"); // atomic below PIPE_BUF
      }
    }
  }

  /**
   * The second half: opens the announced pair (the server opens the other ends), then unlinks it.
   *
   * @param an the announced pair
   * @param engine the engine to open the ends for
   * @param onAbort told at once when the connect is given up (refused, timed out, cancelled), even
   *     while an open is still being released
   * @return the connection
   * @throws IOException as {@link #announce}
   */
  static Connection open(Announced an, FifoEngine engine, Consumer<IOException> onAbort)
      throws IOException {
    try {
      FifoEnd[] pair =
          OpenWatchdog.open(
              new Path[] {an.up(), an.down()},
              new boolean[] {true, false},
              engine,
              an.abort(),
              onAbort);
      // the opens may have returned because a closing server released them, not because it accepted
      IOException refused = refusal(an.address().dir(), an.up(), an.address().endpoint().address());
      if (refused != null) {
        Fifos.close(pair[0]);
        Fifos.close(pair[1]);
        throw refused;
      }
      return new Connection(pair[0], pair[1], an.peer());
    } finally {
      Fifos.delete(an.up(), an.down());
    }
  }

  /**
   * For a client whose ends are open, once the server's accept byte came: unlinks the pair.
   *
   * @param an the announced pair, with its ends
   * @return the connection
   */
  static Connection established(Announced an) {
    Fifos.delete(an.up(), an.down());
    return new Connection(an.out(), an.in(), an.peer());
  }

  /**
   * Tells whether the server refused an announced pair: it stopped listening. A server that
   * accepted the pair keeps its directory's lock until this client unlinked the pair ({@link
   * PipeDirectory.Lease#accepted}), so a one-shot server that accepts and closes at once never
   * looks like a refusal, however late this client's opener threads notice that their opens
   * returned.
   *
   * @return {@code ECONNREFUSED}, or null while the connection may still be (or has been) accepted
   */
  private static IOException refusal(Path dir, Path up, String ep) {
    return PipeDirectory.isServing(dir) ? null : refused(ep);
  }

  private static NetException refused(String ep) {
    return NetException.withMessage(
        ErrorCode.ECONNREFUSED, "connect", ep, "connect ECONNREFUSED " + ep);
  }
}
