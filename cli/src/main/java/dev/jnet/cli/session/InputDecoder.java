package dev.jnet.cli.session;

import dev.jnet.cli.spec.InputMode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Turns typed input into the bytes to send ({@code --input hex|escapes}, {@code --crlf}), chunk by
 * chunk: an escape or a hex pair split between two reads is completed by the next one.
 */
public final class InputDecoder {
  private final InputMode mode;
  private final boolean crlf;
  private final StringBuilder pending = new StringBuilder();
  private final MessageLines lines;
  private boolean lastWasCr;

  public InputDecoder(InputMode mode, boolean crlf) {
    this(mode, crlf, null);
  }

  /**
   * A decoder whose output is then framed, a message per line.
   *
   * @param mode how input is typed
   * @param crlf whether line feeds become CRLF
   * @param lines the framing of the connection, or null to send the bytes as they are
   */
  public InputDecoder(InputMode mode, boolean crlf, MessageLines lines) {
    this.mode = mode;
    this.crlf = crlf;
    this.lines = lines;
  }

  /** Whether this decoder leaves every byte as it is. */
  public boolean isIdentity() {
    return mode == InputMode.RAW && !crlf && lines == null;
  }

  /**
   * Decodes one chunk.
   *
   * @param chunk what was read
   * @return the bytes to send (maybe empty)
   * @throws IllegalArgumentException on a character that is not hex in hex mode
   */
  public ByteBuffer decode(ByteBuffer chunk) {
    if (isIdentity()) {
      return chunk;
    }
    if (mode == InputMode.RAW && !crlf) {
      return lines.outgoing(chunk);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.remaining() + 16);
    while (chunk.hasRemaining()) {
      int b = chunk.get() & 0xff;
      switch (mode) {
        case RAW -> emit(out, b);
        case HEX -> hex(out, b);
        case ESCAPES -> escapes(out, b);
      }
    }
    ByteBuffer decoded = ByteBuffer.wrap(out.toByteArray());
    return lines == null ? decoded : lines.outgoing(decoded);
  }

  /**
   * Ends the input: an unfinished escape or hex digit is an error.
   *
   * @return what is left to send (the last message when the input does not end with a line feed)
   * @throws IllegalArgumentException if something was left half-typed
   */
  public ByteBuffer finish() {
    if (pending.length() > 0) {
      throw new IllegalArgumentException("input ends inside '" + pending + "'");
    }
    return lines == null ? ByteBuffer.allocate(0) : lines.finish();
  }

  private void emit(ByteArrayOutputStream out, int b) {
    if (crlf && b == '\n' && !lastWasCr) {
      out.write('\r');
    }
    lastWasCr = b == '\r';
    out.write(b);
  }

  private void hex(ByteArrayOutputStream out, int b) {
    if (Character.isWhitespace(b) || b == ':' || b == '-') {
      return;
    }
    if (Character.digit(b, 16) < 0) {
      throw new IllegalArgumentException("--input hex: not a hex digit: '" + (char) b + "'");
    }
    pending.append((char) b);
    if (pending.length() == 2) {
      emit(out, Integer.parseInt(pending.toString(), 16));
      pending.setLength(0);
    }
  }

  private void escapes(ByteArrayOutputStream out, int b) {
    if (pending.length() == 0) {
      if (b == '\\') {
        pending.append('\\');
      } else {
        emit(out, b);
      }
      return;
    }
    pending.append((char) b);
    String p = pending.toString();
    if (p.startsWith("\\x")) {
      if (p.length() == 4) {
        emit(out, Integer.parseInt(p.substring(2), 16));
        pending.setLength(0);
      } else if (Character.digit(b, 16) < 0 && p.length() > 2) {
        throw new IllegalArgumentException("--input escapes: bad escape '" + p + "'");
      }
      return;
    }
    pending.setLength(0);
    switch (b) {
      case 'n' -> emit(out, '\n');
      case 'r' -> emit(out, '\r');
      case 't' -> emit(out, '\t');
      case '0' -> emit(out, 0);
      case '\\' -> emit(out, '\\');
      case 'x' -> pending.append("\\x");
      default ->
          throw new IllegalArgumentException(
              "--input escapes: unknown escape '\\" + (char) b + "'");
    }
  }
}
