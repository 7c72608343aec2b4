package dev.jnet.cli.session;

import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.cli.spec.FileError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Copies what a socket receives to an output channel on a thread of its own, so the socket's I/O
 * thread never blocks on a slow stdout. At most about {@link #HIGH_WATER} bytes wait in memory:
 * above it the socket is paused (the peer feels backpressure), and resumed once the writer is below
 * {@link #LOW_WATER}.
 *
 * <p>A write that fails is never swallowed: the socket is reset (its peer sees an error, not a
 * clean end, since what it sent is lost) and {@link #done()} completes with the failure, {@code
 * write ENOSPC stdout: no space left on device}. The one exception is a reader that went away
 * ({@code EPIPE}, {@code | head}): that ends the copy quietly, as for any Unix filter.
 */
public final class StdoutSink {
  public static final long HIGH_WATER = 1L << 20;
  public static final long LOW_WATER = 256L << 10;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final Socket socket;
  private final WritableByteChannel out;
  private final String subject;
  private final LinkedBlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final CompletableFuture<Boolean> done = new CompletableFuture<>();
  private NetException failure;

  /** The pending {@link #written()} marks, by identity. */
  private final Map<ByteBuffer, CompletableFuture<Void>> marks = new IdentityHashMap<>();

  /** Set, under the marks' lock, once the copy is over: later marks are reached at once. */
  private boolean over;

  private StdoutSink(Socket socket, WritableByteChannel out, String subject) {
    this.socket = socket;
    this.out = out;
    this.subject = subject;
  }

  /**
   * Starts copying {@code socket}'s data to {@code out}.
   *
   * @param socket the source
   * @param out the destination, written by the sink's thread only
   * @param subject what {@code out} is, for the error message: {@code stdout}, a path
   * @return the running sink
   */
  public static StdoutSink start(Socket socket, WritableByteChannel out, String subject) {
    return start(socket, out, subject, UnaryOperator.identity());
  }

  /**
   * Starts copying {@code socket}'s data to {@code out}, each chunk rendered first (as dump lines,
   * say).
   *
   * @param socket the source
   * @param out the destination, written by the sink's thread only
   * @param subject what {@code out} is, for the error message: {@code stdout}, a path
   * @param render turns a received chunk into what is written
   * @return the running sink
   */
  public static StdoutSink start(
      Socket socket, WritableByteChannel out, String subject, UnaryOperator<ByteBuffer> render) {
    StdoutSink sink = new StdoutSink(socket, out, subject);
    Thread t = new Thread(sink::copy, "jnet-stdout");
    t.setDaemon(true);
    t.start();
    socket.onData(data -> sink.accept(render.apply(data)));
    return sink;
  }

  /**
   * Queues bytes that did not come from the socket (a dump of what was sent, an event line).
   *
   * @param data the bytes, owned by the sink from now on
   */
  public void print(ByteBuffer data) {
    queued.addAndGet(data.remaining());
    queue.add(data);
  }

  /**
   * Returns a stage that completes once everything queued so far has been written (or the output
   * failed, or its reader went away): what a socket's peer sent before its end is on stdout before
   * we answer with our own end.
   *
   * @return the stage; it never completes exceptionally
   */
  public CompletionStage<Void> written() {
    ByteBuffer mark = ByteBuffer.allocate(0);
    CompletableFuture<Void> reached = new CompletableFuture<>();
    synchronized (marks) {
      if (over) {
        reached.complete(null);
        return reached;
      }
      marks.put(mark, reached);
    }
    queue.add(mark);
    return reached;
  }

  private void reached(ByteBuffer mark) {
    CompletableFuture<Void> reached;
    synchronized (marks) {
      reached = marks.remove(mark);
    }
    if (reached != null) {
      reached.complete(null);
    }
  }

  /** Marks the end of the data: once everything before it is written, {@link #done()} completes. */
  public void finish() {
    queue.add(END);
  }

  /**
   * Completes once everything up to {@link #finish()} was written, or with the failure of a write.
   *
   * @return true if the output took every byte, false if its reader went away ({@code head});
   *     completes exceptionally with a {@link NetException} ({@code EIO}, or {@code EACCES}) naming
   *     the real errno if a write failed
   */
  public CompletionStage<Boolean> done() {
    return done;
  }

  private void accept(ByteBuffer data) {
    long q = queued.addAndGet(data.remaining());
    queue.add(data);
    if (q > HIGH_WATER && paused.compareAndSet(false, true)) {
      socket.pause();
      if (queued.get() <= LOW_WATER) {
        resumeIfPaused(); // the writer caught up between our add and our pause
      }
    }
  }

  private void resumeIfPaused() {
    if (paused.compareAndSet(true, false)) {
      socket.resume();
    }
  }

  private void copy() {
    boolean open = true;
    try {
      for (ByteBuffer b = queue.take(); b != END; b = queue.take()) {
        int n = b.remaining();
        if (open) {
          open = writeFully(b);
        }
        if (queued.addAndGet(-n) <= LOW_WATER) {
          resumeIfPaused();
        }
        if (n == 0) {
          reached(b);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (marks) {
      over = true;
      marks.values().forEach(m -> m.complete(null));
      marks.clear();
    }
    if (failure != null) {
      done.completeExceptionally(failure);
    } else {
      done.complete(open);
    }
  }

  private boolean writeFully(ByteBuffer b) {
    try {
      while (b.hasRemaining()) {
        out.write(b);
      }
      return true;
    } catch (IOException e) {
      FileError error = FileError.of(e);
      if (error.isBrokenPipe()) {
        socket.destroy();
      } else {
        failure = error.error("write", subject);
        reset(socket, failure);
      }
      return false;
    }
  }

  /**
   * Destroys a socket whose data cannot be delivered so that its peer sees an error: a reset on
   * TCP; elsewhere a close, which the peer sees as {@code ECONNRESET} while what it sent is still
   * unread. A socket still connecting is destroyed with {@code cause}.
   *
   * @param socket the socket
   * @param cause the local failure, emitted where no reset is possible
   */
  public static void reset(Socket socket, NetException cause) {
    if (!socket.connected().toCompletableFuture().isDone()) {
      socket.destroy(
          cause); // nothing reached the peer yet: the connect is abandoned, with this error
      return;
    }
    try {
      socket.resetAndDestroy();
    } catch (UnsupportedOperationException e) {
      socket.destroy(cause);
    }
  }
}
