package dev.jnet.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** One plain-JDK connection with bounded, timed reads and writes: nothing here can hang a test. */
public final class ForeignConnection implements AutoCloseable {
  private final SocketChannel channel;
  private final Selector selector;
  private final boolean junixsocket;
  private boolean eof;

  /**
   * Wraps a connected channel (a JDK one, or junixsocket's, which extends {@link SocketChannel}).
   *
   * @param channel the channel
   * @return the connection
   * @throws IOException if the channel cannot be made non-blocking
   */
  public static ForeignConnection of(SocketChannel channel) throws IOException {
    return new ForeignConnection(channel);
  }

  ForeignConnection(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = channel.provider().openSelector();
    this.junixsocket = channel.getClass().getName().startsWith("org.newsclub.");
  }

  /**
   * Returns the channel, for options.
   *
   * @return the channel
   */
  public SocketChannel channel() {
    return channel;
  }

  /**
   * Writes every byte, waiting at most {@code timeout} for room.
   *
   * @param data the bytes
   * @param timeout the bound
   * @throws IOException on failure or timeout
   */
  public void write(byte[] data, Duration timeout) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(data);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (b.hasRemaining()) {
      if (channel.write(b) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  /**
   * Writes every byte within 10 seconds.
   *
   * @param data the bytes
   * @throws IOException on failure or timeout
   */
  public void write(byte[] data) throws IOException {
    write(data, Duration.ofSeconds(10));
  }

  /**
   * Writes without blocking, in 64 KiB chunks of {@link #pattern}, until the kernel has taken
   * nothing for {@code stall} (the receiver stopped reading and every buffer on the way is full) or
   * {@code limit} bytes went out.
   *
   * @param limit the most bytes to write
   * @param stall how long the socket may stay unwritable before the writer counts as blocked
   * @return the bytes written; less than {@code limit} means the writer was blocked
   * @throws IOException on failure
   */
  public long writeUntilBlocked(long limit, Duration stall) throws IOException {
    long total = 0;
    while (total < limit) {
      ByteBuffer b = ByteBuffer.wrap(pattern(total, (int) Math.min(64 * 1024, limit - total)));
      int w = channel.write(b);
      total += w;
      if (w == 0 && !awaitReady(SelectionKey.OP_WRITE, stall)) {
        return total;
      }
    }
    return total;
  }

  /**
   * Returns the bytes {@link #writeUntilBlocked} sends from a given offset of its stream.
   *
   * @param offset the stream offset
   * @param n how many
   * @return the bytes: {@code (byte) ((offset + i) % 251)}
   */
  public static byte[] pattern(long offset, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) ((offset + i) % 251);
    }
    return out;
  }

  /**
   * Completes a connect started by {@link ForeignPeer#startConnect}, waiting at most {@code
   * timeout}.
   *
   * @param timeout the bound
   * @return true once connected, false if the connect is still pending after the bound
   * @throws IOException if the connect failed
   */
  public boolean finishConnect(Duration timeout) throws IOException {
    if (channel.finishConnect()) {
      return true;
    }
    awaitReady(SelectionKey.OP_CONNECT, timeout);
    return channel.finishConnect();
  }

  /**
   * Reads exactly {@code n} bytes.
   *
   * @param n how many
   * @param timeout the bound
   * @return the bytes
   * @throws IOException on EOF, failure or timeout
   */
  public byte[] readExactly(int n, Duration timeout) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean readable = false;
    while (b.hasRemaining()) {
      int r = read(b, readable);
      readable = false;
      if (r < 0) {
        eof = true;
        throw new IOException("EOF after " + b.position() + " of " + n + " bytes");
      }
      if (r == 0) {
        readable = await(SelectionKey.OP_READ, deadline);
      }
    }
    return b.array();
  }

  /**
   * Reads until the peer's EOF.
   *
   * @param timeout the bound
   * @return every byte before EOF
   * @throws IOException on failure or timeout
   */
  public byte[] readToEof(Duration timeout) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean readable = false;
    while (true) {
      b.clear();
      int r = read(b, readable);
      readable = false;
      if (r < 0) {
        eof = true;
        return out.toByteArray();
      }
      if (r == 0) {
        readable = await(SelectionKey.OP_READ, deadline);
      } else {
        out.write(b.array(), 0, r);
      }
    }
  }

  /**
   * Tells whether EOF has been seen.
   *
   * @return true after a read returned EOF
   */
  public boolean sawEof() {
    return eof;
  }

  /**
   * Sends EOF (shuts down the output).
   *
   * @throws IOException on failure
   */
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  /**
   * Closes with a reset (SO_LINGER 0; TCP only).
   *
   * @throws IOException on failure
   */
  public void reset() throws IOException {
    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    close();
  }

  /**
   * Reads. A JDK channel reports EOF as -1. junixsocket's non-blocking channels report EOF as 0,
   * exactly like "no data yet" (its native receive maps recv's 0 to EWOULDBLOCK, then to 0), so for
   * them a read of 0 counts as EOF only right after this connection's selector reported the channel
   * readable: poll says readable, this is the only reader, and recv returned nothing, which a
   * stream socket does only at EOF.
   */
  private int read(ByteBuffer b, boolean reportedReadable) throws IOException {
    int r = channel.read(b);
    return r == 0 && junixsocket && reportedReadable && b.hasRemaining() ? -1 : r;
  }

  /**
   * Waits for {@code op} until {@code deadline}.
   *
   * @return true if the selector reported the channel within the bound
   * @throws SocketTimeoutException if the deadline has already passed
   */
  private boolean await(int op, long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("peer did not become ready in time");
    }
    return select(op, Math.max(1, left / 1_000_000));
  }

  private boolean awaitReady(int op, Duration timeout) throws IOException {
    return select(op, Math.max(1, timeout.toMillis()));
  }

  /**
   * One select for {@code op} on this connection's own selector, where the channel is the only key.
   *
   * @return true if this very select reported the channel (a ready op, or a hangup or error, which
   *     the next read or write then reveals); never a stale ready set from an earlier select
   */
  private boolean select(int op, long timeoutMs) throws IOException {
    SelectionKey key = channel.register(selector, op);
    boolean ready;
    try {
      ready = selector.select(timeoutMs) > 0;
    } finally {
      selector.selectedKeys().clear();
      if (key.isValid()) {
        key.interestOps(0);
      } else if (junixsocket) {
        // junixsocket's selector turns POLLHUP/POLLERR (for AF_UNIX: both directions shut down, as
        // soon as the peer's EOF meets our own shutdown, even with data still queued) into an
        // invalid key, and on the next select drops that key from its poll set without removing
        // it from the channel. register() would then find the dead key, merely set its interest
        // ops, and every later select would poll nothing but the selector's wakeup pipe: each wait
        // ran out its full timeout. Cancelling deregisters it from the channel, so the next
        // register() makes a fresh key that the selector polls again.
        key.cancel();
      }
    }
    return ready;
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
