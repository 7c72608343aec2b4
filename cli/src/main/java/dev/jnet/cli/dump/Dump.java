package dev.jnet.cli.dump;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Renders chunks of traffic as dump lines. Every line carries the connection id, the direction
 * ({@code <} received, {@code >} sent), a UTC timestamp, the stream offset of its first byte and
 * its length:
 *
 * <pre>
 * text:   #1 &lt; 10:05:16.123456 off=0 len=6 "hi\n"
 * hex:    #1 &lt; 10:05:16.123456 off=00000000 len=3  68 69 0a                                          |hi.|
 * ndjson: {"conn":1,"dir":"in","ts":"2026-11-24T10:05:16.123456Z","off":0,"len":3,"data":"aGkK","text":"hi\n"}
 * </pre>
 */
public final class Dump {
  private static final String RESET = "\u001b[0m";
  private static final int ROW = 16;

  private final Format format;
  private final boolean colour;

  public Dump(Format format, boolean colour) {
    this.format = format;
    this.colour = colour;
  }

  public Format format() {
    return format;
  }

  /**
   * Renders one chunk; its position is not changed.
   *
   * @param conn the connection id
   * @param dir which way it went
   * @param offset the stream offset of its first byte in that direction
   * @param data the bytes
   * @return the lines, each ending with a newline
   */
  public String render(long conn, Direction dir, long offset, ByteBuffer data) {
    Instant now = Instant.now();
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    return switch (format) {
      case RAW -> new String(bytes, StandardCharsets.ISO_8859_1);
      case TEXT ->
          prefix(conn, dir, now)
              + " off="
              + offset
              + " len="
              + bytes.length
              + " \""
              + Escapes.escape(bytes)
              + "\"\n";
      case HEX -> hex(prefix(conn, dir, now), offset, bytes);
      case NDJSON -> ndjson(conn, dir, now, offset, bytes);
    };
  }

  /**
   * Renders one framed message as one line: text escaped, or hex digits in {@code --format hex}.
   *
   * @param conn the connection id
   * @param dir which way it went
   * @param index the message's number in that direction, from 0
   * @param message the message's bytes
   * @return the line, ending with a newline
   */
  public String message(long conn, Direction dir, long index, byte[] message) {
    Instant now = Instant.now();
    return switch (format) {
      case RAW -> Escapes.escape(message) + "\n";
      case TEXT ->
          prefix(conn, dir, now)
              + " msg="
              + index
              + " len="
              + message.length
              + " \""
              + Escapes.escape(message)
              + "\"\n";
      case HEX ->
          prefix(conn, dir, now)
              + " msg="
              + index
              + " len="
              + message.length
              + " "
              + java.util.HexFormat.of().formatHex(message)
              + "\n";
      case NDJSON -> ndjson(conn, dir, now, index, message).replace(",\"off\":", ",\"msg\":");
    };
  }

  /**
   * Renders a note about a connection ({@code accept}, {@code end}, ...) in the same format as its
   * data.
   *
   * @param conn the connection id
   * @param event a word such as {@code end}
   * @param detail more words, may be empty
   * @return the line, ending with a newline
   */
  public String event(long conn, String event, String detail) {
    Instant now = Instant.now();
    if (format == Format.NDJSON) {
      return "{\"conn\":"
          + conn
          + ",\"event\":\""
          + event
          + "\",\"ts\":\""
          + now
          + "\""
          + (detail.isEmpty() ? "" : ",\"detail\":\"" + Json.escape(detail) + "\"")
          + "}\n";
    }
    String head = "#" + conn + " * " + Clock.FORMAT.format(now) + " " + event;
    return (colour ? "\u001b[33m" + head + RESET : head)
        + (detail.isEmpty() ? "" : " " + detail)
        + "\n";
  }

  private String prefix(long conn, Direction dir, Instant now) {
    String head = "#" + conn + " " + dir.arrow;
    return (colour ? dir.colour + head + RESET : head) + " " + Clock.FORMAT.format(now);
  }

  private static String hex(String prefix, long offset, byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int row = 0; row < bytes.length; row += ROW) {
      int n = Math.min(ROW, bytes.length - row);
      sb.append(prefix).append(String.format(" off=%08x len=%d ", offset + row, n));
      StringBuilder ascii = new StringBuilder();
      for (int i = 0; i < ROW; i++) {
        sb.append(i == 8 ? "  " : " ");
        if (i < n) {
          int b = bytes[row + i] & 0xff;
          sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
          ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        } else {
          sb.append("  ");
        }
      }
      sb.append("  |").append(ascii).append("|\n");
    }
    return sb.toString();
  }

  private static String ndjson(long conn, Direction dir, Instant now, long offset, byte[] bytes) {
    StringBuilder sb =
        new StringBuilder("{\"conn\":")
            .append(conn)
            .append(",\"dir\":\"")
            .append(dir.word)
            .append("\",\"ts\":\"")
            .append(now)
            .append("\",\"off\":")
            .append(offset)
            .append(",\"len\":")
            .append(bytes.length)
            .append(",\"data\":\"")
            .append(Base64.getEncoder().encodeToString(bytes))
            .append('"');
    String text = utf8(bytes);
    if (text != null) {
      sb.append(",\"text\":\"").append(Json.escape(text)).append('"');
    }
    return sb.append("}\n").toString();
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * The timestamp format, built on first use: {@code java.time}'s formatters take a raw connect's
   * start-up time.
   */
  private static final class Clock {
    static final DateTimeFormatter FORMAT =
        DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
  }
}
