package dev.jnet.testkit;

import dev.jnet.NetException;
import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a {@link Payload} to a socket in random chunk sizes the way Node's documentation asks:
 * stop when {@code write} returns false, go on at {@code drain}. {@link #done()} completes when the
 * last write reached the kernel; {@link #stalledOrDone()} as soon as a write returned false (or
 * everything was written).
 */
public final class WritePump {
  private static final int MAX_CHUNK = 64 * 1024;

  private final Socket socket;
  private final Payload payload;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final CompletableFuture<Void> stalledOrDone = new CompletableFuture<>();
  private int offset;

  private WritePump(Socket socket, Payload payload) {
    this.socket = socket;
    this.payload = payload;
  }

  /**
   * Starts writing.
   *
   * @param socket where to write
   * @param payload what to write
   * @return the pump
   */
  public static WritePump start(Socket socket, Payload payload) {
    WritePump p = new WritePump(socket, payload);
    socket.onDrain(p::pump);
    p.pump();
    return p;
  }

  // A drain is emitted only once every earlier write has completed, so a pump continued from the
  // I/O thread
  // never overtakes a write still queued from the starting thread; the lock orders the two callers.
  private synchronized void pump() {
    byte[] data = payload.bytes();
    while (offset < data.length) {
      int n = Math.min(payload.nextChunk(MAX_CHUNK), data.length - offset);
      ByteBuffer chunk = ByteBuffer.wrap(data, offset, n);
      offset += n;
      boolean ok =
          offset == data.length ? socket.write(chunk, this::lastWritten) : socket.write(chunk);
      if (!ok) {
        stalledOrDone.complete(null);
        return;
      }
    }
    // Every write is issued; the last may still sit in jnet's buffer behind a reader that is
    // paused.
    stalledOrDone.complete(null);
  }

  private void lastWritten(Optional<NetException> error) {
    if (error.isPresent()) {
      done.completeExceptionally(error.get());
    } else {
      done.complete(null);
    }
    stalledOrDone.complete(null);
  }

  /**
   * Completes when every byte was handed to the kernel.
   *
   * @return the stage
   */
  public CompletableFuture<Void> done() {
    return done;
  }

  /**
   * Completes when the pump first had to wait for {@code drain}, or when it has issued its last
   * write.
   *
   * @return the stage
   */
  public CompletableFuture<Void> stalledOrDone() {
    return stalledOrDone;
  }
}
