package dev.jnet.testkit;

import dev.jnet.NetException;
import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Writes bytes in random sizes (now and then an empty write) with random delays between the writes,
 * then calls {@code end()}. Half the pumps are patient (stop when {@code write} returns false and
 * go on at {@code drain}), half write everything at once and end while the bytes are still
 * buffered, as Node allows. It starts on the caller's thread and continues on the I/O thread; a
 * lock orders the two, so the bytes must arrive in order.
 */
public final class ChaosPump {
  private static final int MAX_WRITE = 64 * 1024;

  private final Socket socket;
  private final byte[] data;
  private final Chaos chaos;
  private final boolean patient;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private int offset;
  private boolean ended;

  private ChaosPump(Socket socket, byte[] data, Chaos chaos) {
    this.socket = socket;
    this.data = data;
    this.chaos = chaos;
    this.patient = chaos.chance(50);
  }

  /**
   * Starts writing on the calling thread.
   *
   * @param socket where to write
   * @param data what to write, then end
   * @param chaos the randomness of the writer
   * @return the pump
   */
  public static ChaosPump start(Socket socket, byte[] data, Chaos chaos) {
    ChaosPump p = new ChaosPump(socket, data, chaos);
    socket.onDrain(p::pump);
    p.pump();
    return p;
  }

  private synchronized void pump() {
    while (offset < data.length) {
      int n = Math.min(chaos.writeSize(MAX_WRITE), data.length - offset);
      ByteBuffer chunk = ByteBuffer.wrap(data, offset, n);
      offset += n;
      boolean ok = socket.write(chunk);
      chaos.maybeDelay();
      if (!ok && patient) {
        return;
      }
    }
    if (!ended) {
      ended = true;
      socket.write(ByteBuffer.allocate(0), this::lastWritten);
      socket.end();
    }
  }

  private void lastWritten(Optional<NetException> error) {
    if (error.isPresent()) {
      done.completeExceptionally(error.get());
    } else {
      done.complete(null);
    }
  }

  /**
   * Completes when every byte reached the kernel, just before {@code end()} took effect.
   *
   * @return the stage
   */
  public CompletableFuture<Void> done() {
    return done;
  }
}
