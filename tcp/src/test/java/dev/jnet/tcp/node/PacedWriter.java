package dev.jnet.tcp.node;

import dev.jnet.Socket;
import java.util.function.IntSupplier;

/**
 * A jnet writer that honours backpressure: writes seeded random-sized chunks of a payload while
 * {@code write} returns true, resumes on {@code drain}, and optionally ends the socket after the
 * last byte.
 */
final class PacedWriter {
  private final Socket socket;
  private final byte[] data;
  private final IntSupplier chunks;
  private final boolean endWhenDone;
  private int offset;
  private int falseWrites;
  private boolean ended;

  /**
   * Prepares the writer and listens for {@code drain}; call {@link #pump()} to start.
   *
   * @param socket the socket to write to
   * @param data the payload
   * @param seed the seed of the chunk sizes
   * @param maxChunk the largest chunk
   * @param endWhenDone whether to {@code end()} after the last byte
   */
  PacedWriter(Socket socket, byte[] data, int seed, int maxChunk, boolean endWhenDone) {
    this.socket = socket;
    this.data = data;
    this.chunks = PeerPayload.chunker(seed, maxChunk);
    this.endWhenDone = endWhenDone;
    socket.onDrain(this::pump);
  }

  /** Writes until {@code write} returns false or the payload is out. */
  synchronized void pump() {
    while (offset < data.length) {
      int n = Math.min(chunks.getAsInt(), data.length - offset);
      boolean ok = socket.write(PeerPayload.slice(data, offset, n));
      offset += n;
      if (!ok) {
        falseWrites++;
        return;
      }
    }
    if (endWhenDone && !ended) {
      ended = true;
      socket.end();
    }
  }

  /**
   * Returns how many writes returned false.
   *
   * @return the count
   */
  synchronized int falseWrites() {
    return falseWrites;
  }
}
