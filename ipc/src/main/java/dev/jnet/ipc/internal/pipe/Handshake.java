package dev.jnet.ipc.internal.pipe;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one line a {@code pipe:} client writes into the server's well-known FIFO (see {@code
 * docs/pipe-protocol.md}):
 *
 * <pre>
 *   "JNETPIPE1" SP ID SP PID LF        ID: 1..64 of [A-Za-z0-9_-]; PID: 1..19 decimal digits
 *
 *   J N E T P I P E 1 ␠ a b 1 2 ␠ 4 2 ␊      ->  id "ab12", pid 42
 * </pre>
 *
 * The line is at most {@link #MAX_LINE} bytes, below POSIX's minimum {@code PIPE_BUF} (512), so a
 * single {@code write(2)} of it is atomic and concurrent clients never interleave.
 */
final class Handshake {
  /** The first token of every line. */
  static final String MAGIC = "JNETPIPE1";

  /** The longest line, LF included. */
  static final int MAX_LINE = 96;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern PID = Pattern.compile("[0-9]{1,19}");

  /**
   * The fourth token of a line whose client asks for the accept byte (protocol section 3a): it
   * opened both of its ends before announcing, and waits for the server to write one {@link
   * #ACCEPT_BYTE} on {@code down} once it holds both of its own. A line of version 1 has three
   * tokens, so no client can ask by chance; and a client asks only a server that says it writes the
   * byte, so no older server ever reads such a line.
   */
  static final String ACCEPT_TOKEN = "accept-byte";

  /** The longest line that asks for the accept byte, LF included. */
  static final int MAX_ASKING_LINE = MAX_LINE + 1 + ACCEPT_TOKEN.length();

  /** What the server writes first on {@code down} to a client that asked for it. */
  static final byte ACCEPT_BYTE = 0;

  /**
   * A parsed announcement.
   *
   * @param id the client's FIFO pair id
   * @param pid the client's process id
   * @param acceptByte whether it asks for the accept byte
   */
  record Hello(String id, long pid, boolean acceptByte) {
    /** A line of version 1, which does not ask for the accept byte. */
    Hello(String id, long pid) {
      this(id, pid, false);
    }
  }

  private Handshake() {}

  /**
   * Encodes an announcement.
   *
   * @param id the client's FIFO pair id
   * @param pid the client's process id
   * @return the bytes of the line, LF included
   */
  static byte[] encode(String id, long pid) {
    return encode(id, pid, false);
  }

  /**
   * Encodes an announcement that may ask for the accept byte.
   *
   * @param id the client's FIFO pair id
   * @param pid the client's process id
   * @param acceptByte ask for it ({@link #ACCEPT_TOKEN})
   * @return the bytes of the line, LF included
   */
  static byte[] encode(String id, long pid, boolean acceptByte) {
    if (!ID.matcher(id).matches() || pid < 0) {
      throw new IllegalArgumentException("bad pipe handshake id or pid: " + id + " " + pid);
    }
    String ask = acceptByte ? " " + ACCEPT_TOKEN : "";
    return (MAGIC + " " + id + " " + pid + ask + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Parses one line without its LF.
   *
   * @param line the bytes
   * @param len how many
   * @return the announcement, empty if the line is malformed
   */
  static Optional<Hello> parse(byte[] line, int len) {
    if (len >= MAX_ASKING_LINE) {
      return Optional.empty();
    }
    String s = new String(line, 0, len, StandardCharsets.US_ASCII);
    String[] parts = s.split(" ", -1);
    boolean asks = parts.length == 4 && parts[3].equals(ACCEPT_TOKEN);
    if ((parts.length != 3 && !asks)
        || (!asks && len >= MAX_LINE)
        || !parts[0].equals(MAGIC)
        || !ID.matcher(parts[1]).matches()
        || !PID.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Hello(parts[1], Long.parseLong(parts[2]), asks));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Splits the well-known FIFO's byte stream into lines; an over-long line is dropped up to its LF.
   */
  static final class LineSplitter {
    private final byte[] line = new byte[MAX_ASKING_LINE];
    private int len;
    private boolean skipping;

    /**
     * Feeds bytes; calls {@code sink} with every complete line (valid or not: empty means
     * malformed).
     *
     * @param data the bytes
     * @param off where they start
     * @param n how many
     * @param sink the receiver
     */
    void feed(byte[] data, int off, int n, java.util.function.Consumer<Optional<Hello>> sink) {
      for (int i = off; i < off + n; i++) {
        byte b = data[i];
        if (b == '\n') {
          sink.accept(skipping ? Optional.empty() : parse(line, len));
          len = 0;
          skipping = false;
        } else if (len < MAX_ASKING_LINE && !skipping) {
          line[len++] = b;
        } else {
          skipping = true;
        }
      }
    }
  }
}
