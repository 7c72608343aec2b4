package dev.jnet.cli.session;

import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.cli.dump.Direction;
import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import dev.jnet.message.FrameTimeouts;
import dev.jnet.message.Framing;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code --framing}: each line typed becomes one framed message, and each framed message received
 * is shown as one line. One instance per connection; {@link #outgoing} runs on the stdin thread
 * only, {@link #incoming} on the socket's I/O thread only.
 */
public final class MessageLines {
  private final Framing framing;
  private final Framing.Decoder decoder;
  private final Dump dump;
  private final long conn;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long received;
  private long sent;
  private FrameTimeouts deadlines;

  public MessageLines(Framing framing, Dump dump, long conn) {
    this.framing = framing;
    this.decoder = framing.newDecoder();
    this.dump = dump;
    this.conn = conn;
  }

  /**
   * Frames every complete line of a chunk of input (the line feed is not part of the message).
   *
   * @param chunk input bytes
   * @return the frames to send, maybe empty
   */
  public ByteBuffer outgoing(ByteBuffer chunk) {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    while (chunk.hasRemaining()) {
      byte b = chunk.get();
      if (b == '\n') {
        frames.writeBytes(frame(line.toByteArray()));
        line.reset();
      } else {
        line.write(b);
      }
    }
    return ByteBuffer.wrap(frames.toByteArray());
  }

  /**
   * Frames what is left of the last line when the input ends without a line feed.
   *
   * @return the frame, or an empty buffer
   */
  public ByteBuffer finish() {
    if (line.size() == 0) {
      return ByteBuffer.allocate(0);
    }
    ByteBuffer last = ByteBuffer.wrap(frame(line.toByteArray()));
    line.reset();
    return last;
  }

  private byte[] frame(byte[] message) {
    String shown =
        dump.format() == Format.RAW ? "" : dump.message(conn, Direction.OUT, sent, message);
    sent++;
    ByteBuffer encoded = framing.encode(ByteBuffer.wrap(message));
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    pendingShown.append(shown);
    return out;
  }

  private final StringBuilder pendingShown = new StringBuilder();

  /**
   * Returns, and forgets, the dump lines of the messages framed since the last call ({@code
   * --format} other than raw).
   *
   * @return the lines as bytes
   */
  public ByteBuffer shownOutgoing() {
    ByteBuffer b = ByteBuffer.wrap(pendingShown.toString().getBytes(StandardCharsets.UTF_8));
    pendingShown.setLength(0);
    return b;
  }

  /**
   * Applies a server's frame deadlines to this connection ({@code listen
   * --first-frame-timeout/--frame-timeout}): call it on accept, before any data.
   *
   * @param socket the accepted connection, destroyed with ETIMEDOUT when it misses a deadline
   * @param firstFrameTimeout the deadline for its first complete message, zero for none
   * @param frameTimeout the deadline for each frame once started, zero for none
   */
  public void watch(Socket socket, Duration firstFrameTimeout, Duration frameTimeout) {
    deadlines = FrameTimeouts.start(socket, firstFrameTimeout, frameTimeout);
  }

  /**
   * Decodes received bytes and renders each complete message as one line.
   *
   * @param chunk received bytes
   * @return the lines as bytes
   * @throws NetException on a frame that is too large
   */
  public ByteBuffer incoming(ByteBuffer chunk) throws NetException {
    StringBuilder sb = new StringBuilder();
    long before = received;
    decoder.decode(
        chunk,
        message -> {
          byte[] bytes = new byte[message.remaining()];
          message.get(bytes);
          sb.append(dump.message(conn, Direction.IN, received++, bytes));
        });
    if (deadlines != null) {
      deadlines.afterRead(received != before, decoder.hasPartialFrame());
    }
    return ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
