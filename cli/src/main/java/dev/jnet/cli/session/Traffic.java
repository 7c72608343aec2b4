package dev.jnet.cli.session;

import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.cli.dump.Direction;
import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's dump: its id and the stream offset of each direction. Safe to call from any
 * thread.
 */
public final class Traffic {
  private final Dump dump;
  private final long conn;
  private final AtomicLong inOffset = new AtomicLong();
  private final AtomicLong outOffset = new AtomicLong();

  public Traffic(Dump dump, long conn) {
    this.dump = dump;
    this.conn = conn;
  }

  public long conn() {
    return conn;
  }

  public Dump dump() {
    return dump;
  }

  /**
   * Renders a chunk that went one way and advances that direction's offset.
   *
   * @param dir the direction
   * @param data the chunk, left unchanged
   * @return the dump lines as bytes
   */
  public ByteBuffer render(Direction dir, ByteBuffer data) {
    AtomicLong offset = dir == Direction.IN ? inOffset : outOffset;
    long at = offset.getAndAdd(data.remaining());
    if (dump.format() == Format.RAW) {
      return data;
    }
    return ByteBuffer.wrap(dump.render(conn, dir, at, data).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Renders what arrived for stdout: as messages when the connection is framed ({@code --framing}),
   * else as the dump's format shows a chunk. A frame that breaks the framing's rules destroys the
   * connection with its error, and nothing is shown for it.
   *
   * @param lines the framing's renderer, or null for a plain stream
   * @param socket the connection
   * @param data the chunk
   * @return the bytes for stdout
   */
  public ByteBuffer renderIncoming(MessageLines lines, Socket socket, ByteBuffer data) {
    if (lines == null) {
      return render(Direction.IN, data);
    }
    try {
      return lines.incoming(data);
    } catch (NetException e) {
      socket.destroy(e);
      return ByteBuffer.allocate(0);
    }
  }

  /**
   * Renders a connection event in the dump's format.
   *
   * @param event a word
   * @param detail more, may be empty
   * @return the line as bytes
   */
  public ByteBuffer event(String event, String detail) {
    return ByteBuffer.wrap(dump.event(conn, event, detail).getBytes(StandardCharsets.UTF_8));
  }
}
