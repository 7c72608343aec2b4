package dev.jnet.message;

import dev.jnet.NetException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Length-prefixed frames: a 4-byte length, unsigned, big-endian (network order), then exactly that
 * many payload bytes. The length counts the payload only, never itself. A zero length is a valid,
 * empty message.
 *
 * <pre>
 * Two messages, "HELLO" and "" (empty), as they travel:
 *
 *   BEFORE ENCODING (2 messages)          AFTER ENCODING (14 bytes)
 *   +-------+                             +-------------+-------+-------------+
 *   | HELLO |                       -----&gt;| 00 00 00 05 | HELLO | 00 00 00 00 |
 *   +-------+   +--+                      +-------------+-------+-------------+
 *               |  | (empty)               length = 5    payload length = 0
 *               +--+
 *
 * The decoder turns any chunking of those bytes back into the two messages; it never hands over part of one:
 *
 *   BEFORE DECODING (3 reads)                         AFTER DECODING (2 messages)
 *   +-------+   +----------------+   +-------------+         +-------+  +--+
 *   | 00 00 |   | 00 05 HEL      |   | LO 00 00 00 |  -----&gt; | HELLO |  |  |
 *   +-------+   +----------------+   | 00          |         +-------+  +--+
 *                                    +-------------+
 * </pre>
 *
 * <p>Limits: the length is read as an unsigned 32-bit number and compared with {@link
 * #maxFrameLength()} (16 MiB by default) before any buffer is allocated; a larger value, including
 * a corrupt one such as {@code FF FF FF FF}, fails with {@code ERR_FRAME_TOO_LARGE}. A stream that
 * ends after part of a length or part of a payload fails with {@code ERR_FRAME_TRUNCATED}.
 *
 * <p>Memory: the decoder allocates for the bytes that have arrived, never for the length a header
 * announces. A bare header costs nothing; a payload that spans reads is collected in blocks, each
 * as big as the bytes at hand or as all blocks before it, at least 256 bytes and at most 1 MiB, so
 * a connection holds at most twice its payload's bytes so far plus 256, and never more than those
 * bytes plus 1 MiB; the blocks are copied into one buffer once the payload is whole. A peer that
 * announces 16 MiB and sends 5 bytes costs 256 bytes, not 16 MiB.
 *
 * <p>Threading: immutable and shareable; see {@link Framing} for the decoders.
 */
public final class LengthPrefixedFraming implements Framing {
  /** The size of the length field, in bytes. */
  public static final int HEADER_LENGTH = 4;

  /**
   * The smallest block of a payload that spans reads (unless the payload is smaller): 256 bytes.
   */
  static final int MIN_BLOCK = 256;

  /** The largest block a payload grows by: 1 MiB. */
  static final int GROWTH_STEP = 1 << 20;

  private final int maxFrameLength;

  private LengthPrefixedFraming(int maxFrameLength) {
    this.maxFrameLength = maxFrameLength;
  }

  /**
   * Returns the format with a maximum payload length.
   *
   * @param maxFrameLength the largest payload accepted and sent, 0 or more
   * @return the framing
   * @throws IllegalArgumentException if the limit is negative
   */
  public static LengthPrefixedFraming of(int maxFrameLength) {
    if (maxFrameLength < 0) {
      throw new IllegalArgumentException("maxFrameLength must be >= 0: " + maxFrameLength);
    }
    return new LengthPrefixedFraming(maxFrameLength);
  }

  @Override
  public int maxFrameLength() {
    return maxFrameLength;
  }

  @Override
  public Decoder newDecoder() {
    return new LengthPrefixedDecoder(maxFrameLength);
  }

  @Override
  public ByteBuffer encode(ByteBuffer message) {
    int n = message.remaining();
    if (n > maxFrameLength) {
      throw new IllegalArgumentException(
          "message of " + n + " bytes exceeds maxFrameLength " + maxFrameLength);
    }
    ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + n);
    frame.putInt(n).put(message.duplicate()).flip();
    return frame;
  }

  @Override
  public String toString() {
    return "lengthPrefixed(max=" + maxFrameLength + ")";
  }

  /**
   * Reads the header into a 4-byte field when it is split; slices whole frames out of the chunk
   * otherwise; collects the payload of a frame that spans chunks in a {@link Payload}, which
   * allocates for what has arrived only. Every state change happens before the message is handed
   * over, so a sink that throws leaves the decoder at the start of the next frame.
   */
  private static final class LengthPrefixedDecoder implements Decoder {
    private final int max;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    private Payload payload;

    LengthPrefixedDecoder(int max) {
      this.max = max;
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<ByteBuffer> sink) throws NetException {
      while (chunk.hasRemaining()) {
        if (payload != null) {
          fillPayload(chunk, sink);
        } else if (header.position() == 0 && chunk.remaining() >= HEADER_LENGTH) {
          int pos = chunk.position();
          int len = checkedLength(chunk.getInt(pos));
          if (chunk.remaining() - HEADER_LENGTH >= len) {
            chunk.position(pos + HEADER_LENGTH + len);
            sink.accept(chunk.slice(pos + HEADER_LENGTH, len));
          } else {
            chunk.position(pos + HEADER_LENGTH);
            payload = new Payload(len);
          }
        } else {
          fillHeader(chunk, sink);
        }
      }
    }

    private void fillHeader(ByteBuffer chunk, Consumer<ByteBuffer> sink) throws NetException {
      while (header.hasRemaining() && chunk.hasRemaining()) {
        header.put(chunk.get());
      }
      if (!header.hasRemaining()) {
        int len = checkedLength(header.getInt(0));
        header.clear();
        if (len == 0) {
          sink.accept(ByteBuffer.allocate(0));
        } else {
          payload = new Payload(len);
        }
      }
    }

    private void fillPayload(ByteBuffer chunk, Consumer<ByteBuffer> sink) {
      Payload p = payload;
      int n = Math.min(p.missing(), chunk.remaining());
      int pos = chunk.position();
      p.add(chunk.slice(pos, n));
      chunk.position(pos + n);
      if (p.missing() == 0) {
        payload = null;
        sink.accept(p.whole());
      }
    }

    private int checkedLength(int raw) throws NetException {
      long len = Integer.toUnsignedLong(raw);
      if (len > max) {
        throw FrameErrors.tooLarge(len, max);
      }
      return (int) len;
    }

    @Override
    public boolean hasPartialFrame() {
      return payload != null || header.position() > 0;
    }
  }

  /**
   * The payload of one frame while it arrives: blocks allocated as bytes come in, each at most
   * {@link #GROWTH_STEP} (and never past the announced length), so what is held is what has arrived
   * plus less than one block, whatever the header claims. A payload that needed several blocks is
   * copied into one buffer when whole.
   */
  private static final class Payload {
    private final int length;
    private List<ByteBuffer> full;
    private ByteBuffer current;
    private int held;
    private long allocated;

    Payload(int length) {
      this.length = length;
    }

    int missing() {
      return length - held;
    }

    void add(ByteBuffer bytes) {
      held += bytes.remaining();
      while (bytes.hasRemaining()) {
        if (current == null || !current.hasRemaining()) {
          nextBlock(bytes.remaining());
        }
        int n = Math.min(current.remaining(), bytes.remaining());
        int pos = bytes.position();
        current.put(bytes.slice(pos, n));
        bytes.position(pos + n);
      }
    }

    /**
     * Allocates the next block: big enough for the bytes at hand, or as big as all before it,
     * within a step.
     */
    private void nextBlock(int incoming) {
      if (current != null) {
        if (full == null) {
          full = new ArrayList<>();
        }
        full.add(current.flip());
      }
      long want = Math.max(MIN_BLOCK, Math.max(incoming, allocated));
      long size = Math.min(length - allocated, Math.min(want, GROWTH_STEP));
      current = ByteBuffer.allocate((int) size);
      allocated += size;
    }

    ByteBuffer whole() {
      if (full == null) {
        return current.flip();
      }
      ByteBuffer all = ByteBuffer.allocate(length);
      for (ByteBuffer b : full) {
        all.put(b);
      }
      return all.put(current.flip()).flip();
    }
  }
}
