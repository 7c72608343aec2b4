package dev.jnet.testkit;

import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The receiving end of a large transfer: hashes what arrives (SHA-256) and counts it, without
 * keeping it. {@link #result()} completes at {@code end}, or exceptionally at an error.
 *
 * <p>Threads: fed on one socket's I/O thread; the counters are read from any thread.
 */
public final class HashingSink {
  /**
   * What arrived before the end.
   *
   * @param bytes the count
   * @param sha256 the hex digest
   */
  public record Result(long bytes, String sha256) {}

  private final MessageDigest digest = sha256();
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private volatile long bytes;

  /**
   * Consumes {@code s}'s data.
   *
   * @param s the sink's socket
   */
  public void attach(Socket s) {
    s.onData(this::update);
    s.onEnd(() -> result.complete(new Result(bytes, HexFormat.of().formatHex(digest.digest()))));
    s.onError(result::completeExceptionally);
  }

  private void update(ByteBuffer b) {
    bytes += b.remaining();
    digest.update(b);
  }

  /**
   * Completes at the sink's {@code end}.
   *
   * @return the stage
   */
  public CompletableFuture<Result> result() {
    return result;
  }

  /**
   * Waits until at least {@code n} bytes arrived, bounded.
   *
   * @param n the count
   * @param timeout the bound
   */
  public void awaitAtLeast(long n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (bytes < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + bytes + " of " + n + " bytes arrived within " + timeout);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(5); // polls a counter; the condition, not the time, decides
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
