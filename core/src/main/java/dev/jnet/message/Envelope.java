package dev.jnet.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The request/response envelope that {@link Messenger} puts inside each frame: one kind letter, a
 * decimal correlation id, one space, then the body. It is plain ASCII up to the body, so it travels
 * in any {@link Framing}, lines included (as long as the body itself has no line feed), and a peer
 * in any language parses it with an {@code indexOf(' ')}.
 *
 * <pre>
 *   +------+---------------------+------+----------------------+
 *   | kind | id: ASCII digits    | 0x20 | body: 0..n bytes     |
 *   +------+---------------------+------+----------------------+
 *     1 B    1 to 10 B                    the rest of the frame
 *
 *   kind  'Q' 0x51  request          id: the requester's, 1..4294967295
 *         'R' 0x52  response         id: the request's; body: the result
 *         'E' 0x45  error response   id: the request's; body: the reason, UTF-8
 *         'C' 0x43  cancel           id: the request's; body: empty (the requester gave up: timeout or cancel)
 *         'M' 0x4D  one-way message  id: 0; no response (events pushed either way)
 *   id    decimal, 0..4294967295, no sign, no leading zero (except "0" itself)
 *
 * A request with id 7 and body {"op":"sum","args":[1,2]}, its response, and an event:
 *
 *   BEFORE (kind, id, body)                         AFTER (frame payload)
 *   Q, 7, {"op":"sum","args":[1,2]}   -----&gt;   51 37 20 {"op":"sum","args":[1,2]}     Q7 {"op":...}
 *   R, 7, 3                           -----&gt;   52 37 20 33                            R7 3
 *   M, 0, {"event":"tick"}            -----&gt;   4D 30 20 {"event":"tick"}              M0 {"event":"tick"}
 *
 * Inside length-prefixed framing the first of them travels as
 *   00 00 00 1C 51 37 20 7B 22 6F 70 22 ... 5D 7D      (28 = 3 envelope bytes + 25 body bytes)
 * </pre>
 *
 * <p>A payload that does not parse (an unknown kind, no space, a bad id) is a protocol error:
 * {@link Messenger} closes that connection with {@code EINVAL} ("malformed envelope").
 *
 * <p>Threading: an immutable value; the body buffer is shared, not copied, so do not modify it.
 *
 * @param kind the kind
 * @param id the correlation id, 0..4294967295 (0 for one-way messages)
 * @param body the body (its remaining bytes)
 */
public record Envelope(Kind kind, long id, ByteBuffer body) {
  private static final long MAX_ID = 0xFFFF_FFFFL;

  /** The kinds, with their letters. */
  public enum Kind {
    /** A request, answered by exactly one {@link #RESPONSE} or {@link #ERROR}, unless cancelled. */
    REQUEST('Q'),
    /** A successful response. */
    RESPONSE('R'),
    /** A failed response; the body is the reason in UTF-8. */
    ERROR('E'),
    /** The requester no longer wants the response. */
    CANCEL('C'),
    /** A one-way message (an event), never answered. */
    MESSAGE('M');

    private final byte letter;

    Kind(char letter) {
      this.letter = (byte) letter;
    }

    /**
     * Returns the letter on the wire.
     *
     * @return the ASCII letter
     */
    public char letter() {
      return (char) letter;
    }

    static Optional<Kind> of(byte b) {
      for (Kind k : values()) {
        if (k.letter == b) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Validates the parts.
   *
   * @param kind the kind
   * @param id the id
   * @param body the body
   */
  public Envelope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(body, "body");
    if (id < 0 || id > MAX_ID) {
      throw new IllegalArgumentException("id out of range 0..4294967295: " + id);
    }
  }

  /**
   * Returns a one-way message envelope ({@code M0 body}), as a payload ready for {@link
   * MessageSocket#send} or {@link MessageServer#broadcast}.
   *
   * @param body the event
   * @return the encoded payload
   */
  public static ByteBuffer oneWay(ByteBuffer body) {
    return new Envelope(Kind.MESSAGE, 0, body).encode();
  }

  /**
   * Encodes the envelope as a frame payload.
   *
   * @return a new buffer: kind, id digits, space, body
   */
  public ByteBuffer encode() {
    byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(2 + digits.length + body.remaining());
    out.put(kind.letter).put(digits).put((byte) ' ').put(body.duplicate()).flip();
    return out;
  }

  /**
   * Parses a frame payload.
   *
   * @param payload the payload (not modified; the body shares its bytes)
   * @return the envelope, or empty if the payload does not follow the format
   */
  public static Optional<Envelope> parse(ByteBuffer payload) {
    int p = payload.position();
    int end = payload.limit();
    if (end - p < 3) {
      return Optional.empty();
    }
    Optional<Kind> kind = Kind.of(payload.get(p));
    long id = 0;
    int i = p + 1;
    for (; i < end && payload.get(i) != ' '; i++) {
      byte b = payload.get(i);
      if (b < '0' || b > '9' || i - p > 10 || (i > p + 1 && id == 0)) {
        return Optional.empty();
      }
      id = id * 10 + (b - '0');
    }
    if (kind.isEmpty() || i == p + 1 || i == end || id > MAX_ID) {
      return Optional.empty();
    }
    return Optional.of(new Envelope(kind.get(), id, payload.slice(i + 1, end - i - 1)));
  }
}
