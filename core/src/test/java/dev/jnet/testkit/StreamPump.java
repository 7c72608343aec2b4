package dev.jnet.testkit;

import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Writes {@code size} seeded random bytes, generated as it goes (a gibibyte never sits on the
 * heap), the way Node's documentation asks: stop when {@code write} returns false, go on at {@code
 * drain}; optionally {@code end()}s after the last byte. {@link #sha256()} completes when the last
 * write reached the kernel.
 *
 * <p>Threads: the first writes run on the caller's thread, the rest on the socket's I/O thread; the
 * lock orders them.
 */
public final class StreamPump {
  private static final int CHUNK = 64 * 1024;

  private final Socket socket;
  private final long size;
  private final boolean end;
  private final Random random;
  private final MessageDigest digest = HashingSink.sha256();
  private final CompletableFuture<String> sha256 = new CompletableFuture<>();
  private long offset;

  private StreamPump(Socket socket, long size, long seed, boolean end) {
    this.socket = socket;
    this.size = size;
    this.end = end;
    this.random = new Random(seed);
  }

  /**
   * Starts writing.
   *
   * @param socket where to write
   * @param size how many bytes
   * @param seed the seed of the bytes
   * @param end whether to {@code end()} after the last byte
   * @return the pump
   */
  public static StreamPump start(Socket socket, long size, long seed, boolean end) {
    StreamPump p = new StreamPump(socket, size, seed, end);
    socket.onDrain(p::pump);
    p.pump();
    return p;
  }

  private synchronized void pump() {
    while (offset < size) {
      byte[] chunk = new byte[(int) Math.min(CHUNK, size - offset)];
      random.nextBytes(chunk);
      digest.update(chunk);
      offset += chunk.length;
      boolean ok;
      if (offset == size) {
        ok = socket.write(ByteBuffer.wrap(chunk), this::lastWritten);
        if (end) {
          socket.end();
        }
      } else {
        ok = socket.write(ByteBuffer.wrap(chunk));
      }
      if (!ok) {
        return;
      }
    }
  }

  private void lastWritten(java.util.Optional<dev.jnet.NetException> error) {
    if (error.isPresent()) {
      sha256.completeExceptionally(error.get());
    } else {
      sha256.complete(HexFormat.of().formatHex(digest.digest()));
    }
  }

  /**
   * Completes with the SHA-256 of everything written, once the last byte reached the kernel.
   *
   * @return the hex digest
   */
  public CompletableFuture<String> sha256() {
    return sha256;
  }
}
