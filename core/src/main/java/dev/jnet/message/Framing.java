package dev.jnet.message;

import dev.jnet.NetException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * How messages are cut out of a byte stream and put back into one: a {@link Decoder} per connection
 * and a stateless {@link #encode encoder}. jnet ships {@link #lengthPrefixed() length-prefixed}
 * frames and {@link #lines() delimited lines}; a user format implements this interface.
 *
 * <p>Rules every implementation follows, and that {@code FramingContract} and the fuzz tests check
 * for the built-in ones:
 *
 * <ul>
 *   <li>A decoder never delivers part of a message: a message is handed over once its last byte has
 *       arrived, whatever the chunking of the stream.
 *   <li>Limits are checked before anything is allocated: a frame longer than {@link
 *       #maxFrameLength()}, or a length that cannot be valid, fails with {@code
 *       ERR_FRAME_TOO_LARGE}.
 *   <li>Memory follows the bytes that have arrived, never a length the peer announces: a decoder
 *       holds at most a constant factor of the unfinished frame's bytes so far, plus a bounded
 *       step.
 *   <li>A decoder moves past a message (its position and state) before it hands the message to the
 *       sink, so a sink that throws leaves it at the start of the next frame.
 *   <li>A stream that ends inside a frame fails with {@code ERR_FRAME_TRUNCATED} at {@link
 *       Decoder#finish()}.
 *   <li>After a decoder has thrown anything, it is not used again: the connection is destroyed with
 *       an error ({@code EIO}, or {@code ENOMEM} for {@code OutOfMemoryError}, unless it threw a
 *       {@code NetException} of its own).
 * </ul>
 *
 * <p>Threading: a {@code Framing} is immutable and may be shared between threads and connections;
 * each {@link Decoder} belongs to one connection and is called by one thread at a time (the
 * socket's I/O thread).
 */
public interface Framing {

  /** The default maximum frame length: 16 MiB. */
  int DEFAULT_MAX_FRAME_LENGTH = 16 << 20;

  /**
   * Returns the length-prefixed format (a u32 big-endian length, then the payload) with a 16 MiB
   * limit.
   *
   * @return the framing
   * @see LengthPrefixedFraming
   */
  static Framing lengthPrefixed() {
    return LengthPrefixedFraming.of(DEFAULT_MAX_FRAME_LENGTH);
  }

  /**
   * Returns the delimited-lines format (each message followed by {@code \n}; {@code \r\n} tolerated
   * on input) with a 16 MiB limit.
   *
   * @return the framing
   * @see LineFraming
   */
  static Framing lines() {
    return LineFraming.of(DEFAULT_MAX_FRAME_LENGTH);
  }

  /**
   * Returns the largest payload a frame may carry, in bytes.
   *
   * @return the limit, 0 or more
   */
  int maxFrameLength();

  /**
   * Creates the decoder for one connection.
   *
   * @return a fresh decoder
   */
  Decoder newDecoder();

  /**
   * Encodes one message as one frame.
   *
   * @param message the payload (its remaining bytes; the buffer's position is not changed)
   * @return a new buffer holding the whole frame, ready to write
   * @throws IllegalArgumentException if the message is longer than {@link #maxFrameLength()} or
   *     cannot be represented in this format
   */
  ByteBuffer encode(ByteBuffer message);

  /**
   * A streaming decoder for one connection.
   *
   * <p>Threading: called by one thread at a time; not safe for concurrent use.
   */
  interface Decoder {
    /**
     * Consumes every remaining byte of {@code chunk} and hands each message completed by it to
     * {@code sink}, in order. Bytes of an unfinished message are kept for the next call. Each
     * message buffer belongs to the sink.
     *
     * @param chunk the next bytes of the stream (the decoder may keep a reference to it; the caller
     *     must not modify it afterwards)
     * @param sink receives each complete message
     * @throws NetException {@code ERR_FRAME_TOO_LARGE} if a frame exceeds the limit or its length
     *     is corrupt; messages completed before the bad frame have been delivered
     */
    void decode(ByteBuffer chunk, Consumer<ByteBuffer> sink) throws NetException;

    /**
     * Tells whether bytes of an unfinished message are held.
     *
     * @return true between frames' first and last bytes
     */
    boolean hasPartialFrame();

    /**
     * Marks the end of the stream.
     *
     * @throws NetException {@code ERR_FRAME_TRUNCATED} if the stream ended inside a frame
     */
    default void finish() throws NetException {
      if (hasPartialFrame()) {
        throw FrameErrors.truncated();
      }
    }
  }
}
