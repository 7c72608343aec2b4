package dev.jnet.cli;

import dev.jnet.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Copies what a socket receives to an output channel on a thread of its own, so the socket's I/O thread never
 * blocks on a slow stdout. At most about {@link #HIGH_WATER} bytes wait in memory: above it the socket is paused
 * (the peer feels backpressure), and resumed once the writer is below {@link #LOW_WATER}.
 */
final class StdoutSink {
  static final long HIGH_WATER = 1L << 20;
  static final long LOW_WATER = 256L << 10;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final Socket socket;
  private final WritableByteChannel out;
  private final LinkedBlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final CompletableFuture<Boolean> done = new CompletableFuture<>();

  private StdoutSink(Socket socket, WritableByteChannel out) {
    this.socket = socket;
    this.out = out;
  }

  /**
   * Starts copying {@code socket}'s data to {@code out}.
   *
   * @param socket the source
   * @param out the destination, written by the sink's thread only
   * @return the running sink
   */
  static StdoutSink start(Socket socket, WritableByteChannel out) {
    return start(socket, out, UnaryOperator.identity());
  }

  /**
   * Starts copying {@code socket}'s data to {@code out}, each chunk rendered first (as dump lines, say).
   *
   * @param socket the source
   * @param out the destination, written by the sink's thread only
   * @param render turns a received chunk into what is written
   * @return the running sink
   */
  static StdoutSink start(Socket socket, WritableByteChannel out, UnaryOperator<ByteBuffer> render) {
    StdoutSink sink = new StdoutSink(socket, out);
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
  void print(ByteBuffer data) {
    queued.addAndGet(data.remaining());
    queue.add(data);
  }

  /** Marks the end of the data: once everything before it is written, {@link #done()} completes. */
  void finish() {
    queue.add(END);
  }

  /**
   * Completes once everything up to {@link #finish()} was written.
   *
   * @return true if the output took every byte, false if it was closed under us (a reader such as {@code head}
   *     went away)
   */
  CompletionStage<Boolean> done() {
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
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    done.complete(open);
  }

  private boolean writeFully(ByteBuffer b) {
    try {
      while (b.hasRemaining()) {
        out.write(b);
      }
      return true;
    } catch (IOException e) {
      socket.destroy();
      return false;
    }
  }
}
