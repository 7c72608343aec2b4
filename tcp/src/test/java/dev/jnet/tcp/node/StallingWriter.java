package dev.jnet.tcp.node;

import dev.jnet.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A jnet writer that honours backpressure against a peer that stops reading: it writes fixed-size
 * chunks of a seeded stream while {@code write} returns true and waits for {@code drain} otherwise.
 * The socket's idle timeout detects the stall: a {@code timeout} while waiting for {@code drain}
 * means no write completed for that long. After the first {@code drain} that follows the stall it
 * writes {@code tail} more bytes and ends the socket. Every step that matters for ordering goes
 * into one log: {@code stall}, {@code drain}, and the test's own marks.
 */
final class StallingWriter {
  private static final long CAP = 256L << 20;

  private final Socket socket;
  private final Duration stallAfter;
  private final int chunk;
  private final long tail;
  private final byte[] block;
  private final MessageDigest digest = PeerPayload.sha256();
  private final List<String> log = new ArrayList<>();
  private final CompletableFuture<Long> stalled = new CompletableFuture<>();
  private final CompletableFuture<String> done = new CompletableFuture<>();
  private long written;
  private long limit = Long.MAX_VALUE;
  private int falseWrites;
  private boolean waiting;

  /**
   * Prepares the writer and listens for {@code drain} and {@code timeout}; call {@link #start()} on
   * connect.
   *
   * @param socket the socket
   * @param seed the seed of the byte stream
   * @param chunk the size of every write
   * @param stallAfter how long without a completed write counts as a stall
   * @param tail the bytes to write after the stall is over
   */
  StallingWriter(Socket socket, int seed, int chunk, Duration stallAfter, long tail) {
    this.socket = socket;
    this.chunk = chunk;
    this.stallAfter = stallAfter;
    this.tail = tail;
    this.block = PeerPayload.generate(seed, 4 << 20);
    socket.onDrain(this::onDrain);
    socket.onTimeout(this::onTimeout);
  }

  /** Arms the stall detector and starts writing. */
  synchronized void start() {
    socket.setTimeout(stallAfter);
    pump();
  }

  private synchronized void pump() {
    waiting = false;
    while (written < limit) {
      if (!stalled.isDone() && written >= CAP) {
        stalled.completeExceptionally(
            new AssertionError("wrote " + written + " bytes and never stalled"));
        break;
      }
      int off = (int) (written % block.length);
      int n = (int) Math.min(Math.min(chunk, block.length - off), limit - written);
      digest.update(block, off, n);
      written += n;
      if (!socket.write(PeerPayload.slice(block, off, n))) {
        falseWrites++;
        waiting = true;
        return;
      }
    }
    socket.end();
    done.complete(HexFormat.of().formatHex(digest.digest()));
  }

  private synchronized void onDrain() {
    log.add("drain");
    if (stalled.isDone() && limit == Long.MAX_VALUE) {
      limit = written + tail;
    }
    pump();
  }

  private synchronized void onTimeout() {
    if (waiting && !stalled.isDone()) {
      socket.setTimeout(Duration.ZERO);
      log.add("stall");
      stalled.complete(written);
    }
  }

  /**
   * Adds the test's own step to the log.
   *
   * @param step such as {@code resume-sent}
   */
  synchronized void mark(String step) {
    log.add(step);
  }

  /**
   * Completes with the bytes written when the writer stalled waiting for {@code drain}.
   *
   * @return the stage
   */
  CompletionStage<Long> stalled() {
    return stalled;
  }

  /**
   * Completes with the SHA-256 (hex) of everything written, once the writer has ended the socket.
   *
   * @return the stage
   */
  CompletionStage<String> done() {
    return done;
  }

  synchronized long written() {
    return written;
  }

  synchronized int falseWrites() {
    return falseWrites;
  }

  synchronized List<String> log() {
    return List.copyOf(log);
  }
}
