package dev.jnet.message;

import dev.jnet.NetException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Length-prefixed frames: a 4-byte length, unsigned, big-endian (network order), then exactly that many payload
 * bytes. The length counts the payload only, never itself. A zero length is a valid, empty message.
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
 * <p>Limits: the length is read as an unsigned 32-bit number and compared with {@link #maxFrameLength()} (16 MiB by
 * default) before any buffer is allocated; a larger value, including a corrupt one such as {@code FF FF FF FF},
 * fails with {@code ERR_FRAME_TOO_LARGE}. A stream that ends after part of a length or part of a payload fails
 * with {@code ERR_FRAME_TRUNCATED}.
 *
 * <p>Threading: immutable and shareable; see {@link Framing} for the decoders.
 */
public final class LengthPrefixedFraming implements Framing {
  /** The size of the length field, in bytes. */
  public static final int HEADER_LENGTH = 4;

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

  /** Reads the header into a 4-byte field when it is split; slices whole frames out of the chunk otherwise. */
  private static final class LengthPrefixedDecoder implements Decoder {
    private final int max;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    private ByteBuffer body;

    LengthPrefixedDecoder(int max) {
      this.max = max;
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<ByteBuffer> sink) throws NetException {
      while (chunk.hasRemaining()) {
        if (body != null) {
          fillBody(chunk, sink);
        } else if (header.position() == 0 && chunk.remaining() >= HEADER_LENGTH) {
          int pos = chunk.position();
          int len = checkedLength(chunk.getInt(pos));
          if (chunk.remaining() - HEADER_LENGTH >= len) {
            chunk.position(pos + HEADER_LENGTH + len);
            sink.accept(chunk.slice(pos + HEADER_LENGTH, len));
          } else {
            chunk.position(pos + HEADER_LENGTH);
            body = ByteBuffer.allocate(len);
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
          body = ByteBuffer.allocate(len);
        }
      }
    }

    private void fillBody(ByteBuffer chunk, Consumer<ByteBuffer> sink) {
      int n = Math.min(body.remaining(), chunk.remaining());
      int pos = chunk.position();
      body.put(chunk.slice(pos, n));
      chunk.position(pos + n);
      if (!body.hasRemaining()) {
        ByteBuffer done = body.flip();
        body = null;
        sink.accept(done);
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
      return body != null || header.position() > 0;
    }
  }
}
