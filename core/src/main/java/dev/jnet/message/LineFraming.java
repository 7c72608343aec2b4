package dev.jnet.message;

import dev.jnet.NetException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Delimited lines, friendly to NDJSON and to line-oriented tools: each message is followed by one
 * line feed ({@code \n}, 0x0A). On input a carriage return right before the line feed ({@code
 * \r\n}) is dropped too; output always uses a bare {@code \n}. An empty line is an empty message.
 *
 * <pre>
 * Two messages, {"a":1} and "ok", as they travel:
 *
 *   BEFORE ENCODING (2 messages)          AFTER ENCODING (12 bytes)
 *   +---------+  +----+                   +---------+----+----+----+
 *   | {"a":1} |  | ok |            -----&gt; | {"a":1} | 0A | ok | 0A |
 *   +---------+  +----+                   +---------+----+----+----+
 *
 * The decoder accepts CRLF and any chunking, and never hands over part of a line:
 *
 *   BEFORE DECODING (3 reads)                          AFTER DECODING (2 messages)
 *   +--------+   +------------+   +-------+          +---------+  +----+
 *   | {"a":  |   | 1} 0D 0A o |   | k 0A  |  -----&gt;  | {"a":1} |  | ok |
 *   +--------+   +------------+   +-------+          +---------+  +----+
 * </pre>
 *
 * <p>A message cannot contain a line feed, nor end with a carriage return: {@link #encode} refuses
 * both (encode binary data, or use {@link LengthPrefixedFraming}). Limits: a line longer than
 * {@link #maxFrameLength()} bytes (16 MiB by default, not counting its terminator) fails with
 * {@code ERR_FRAME_TOO_LARGE} as soon as the bytes held without a line feed pass the limit, before
 * they are stored. Bytes after the last line feed when the stream ends are an unfinished message:
 * {@code ERR_FRAME_TRUNCATED}.
 *
 * <p>Threading: immutable and shareable; see {@link Framing} for the decoders.
 */
public final class LineFraming implements Framing {
  private static final byte LF = '\n';
  private static final byte CR = '\r';

  private final int maxFrameLength;

  private LineFraming(int maxFrameLength) {
    this.maxFrameLength = maxFrameLength;
  }

  /**
   * Returns the format with a maximum line length.
   *
   * @param maxFrameLength the longest line accepted and sent, without its terminator, 0 or more
   * @return the framing
   * @throws IllegalArgumentException if the limit is negative or {@code Integer.MAX_VALUE}
   */
  public static LineFraming of(int maxFrameLength) {
    if (maxFrameLength < 0 || maxFrameLength == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxFrameLength must be in 0..2^31-2: " + maxFrameLength);
    }
    return new LineFraming(maxFrameLength);
  }

  @Override
  public int maxFrameLength() {
    return maxFrameLength;
  }

  @Override
  public Decoder newDecoder() {
    return new LineDecoder(maxFrameLength);
  }

  @Override
  public ByteBuffer encode(ByteBuffer message) {
    int n = message.remaining();
    if (n > maxFrameLength) {
      throw new IllegalArgumentException(
          "message of " + n + " bytes exceeds maxFrameLength " + maxFrameLength);
    }
    int p = message.position();
    for (int i = 0; i < n; i++) {
      if (message.get(p + i) == LF) {
        throw new IllegalArgumentException(
            "a line message cannot contain a line feed (at byte " + i + ")");
      }
    }
    if (n > 0 && message.get(p + n - 1) == CR) {
      throw new IllegalArgumentException("a line message cannot end with a carriage return");
    }
    ByteBuffer frame = ByteBuffer.allocate(n + 1);
    frame.put(message.duplicate()).put(LF).flip();
    return frame;
  }

  @Override
  public String toString() {
    return "lines(max=" + maxFrameLength + ")";
  }

  /**
   * Slices whole lines out of the chunk; accumulates a line split across chunks, bounded before it
   * grows.
   */
  private static final class LineDecoder implements Decoder {
    private final int max;
    private ByteBuffer pending;

    LineDecoder(int max) {
      this.max = max;
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<ByteBuffer> sink) throws NetException {
      while (chunk.hasRemaining()) {
        int pos = chunk.position();
        int lf = indexOfLf(chunk);
        if (lf < 0) {
          hold(chunk);
          return;
        }
        ByteBuffer line;
        if (pending == null) {
          line = chunk.slice(pos, lf - pos);
        } else {
          hold(chunk.slice(pos, lf - pos));
          line = pending.flip();
          pending = null;
        }
        chunk.position(lf + 1);
        sink.accept(withoutCr(line));
      }
    }

    private ByteBuffer withoutCr(ByteBuffer line) throws NetException {
      int n = line.remaining();
      if (n > 0 && line.get(line.position() + n - 1) == CR) {
        n--;
        line.limit(line.position() + n);
      }
      if (n > max) {
        throw FrameErrors.tooLarge(n, max);
      }
      return line;
    }

    /**
     * Stores bytes of an unfinished line; the limit allows one extra byte for a CR before the LF.
     */
    private void hold(ByteBuffer bytes) throws NetException {
      long held = pending == null ? 0 : pending.position();
      long total = held + bytes.remaining();
      if (total > (long) max + 1) {
        throw FrameErrors.tooLarge(total, max);
      }
      if (pending == null || pending.remaining() < bytes.remaining()) {
        int cap = (int) Math.min((long) max + 1, Math.max(total, Math.max(64, 2L * held)));
        ByteBuffer grown = ByteBuffer.allocate(cap);
        if (pending != null) {
          grown.put(pending.flip());
        }
        pending = grown;
      }
      pending.put(bytes);
    }

    private static int indexOfLf(ByteBuffer b) {
      int end = b.limit();
      if (b.hasArray()) {
        byte[] a = b.array();
        int off = b.arrayOffset();
        for (int i = b.position(); i < end; i++) {
          if (a[off + i] == LF) {
            return i;
          }
        }
        return -1;
      }
      for (int i = b.position(); i < end; i++) {
        if (b.get(i) == LF) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public boolean hasPartialFrame() {
      return pending != null && pending.position() > 0;
    }
  }
}
