package dev.jnet.ipc.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDK Unix-socket clients that send whatever bytes a test likes (bare headers, one byte and a
 * stall) and watch what comes back, with one selector and bounded waits; closed together.
 */
final class RawClients implements AutoCloseable {
  private final List<SocketChannel> channels = new ArrayList<>();

  /**
   * Connects a client.
   *
   * @param path the server's socket file
   * @return the connected, blocking channel
   */
  SocketChannel connect(Path path) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    channels.add(ch);
    ch.connect(UnixDomainSocketAddress.of(path));
    return ch;
  }

  static void writeAll(SocketChannel ch, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  static byte[] header(int length) {
    return ByteBuffer.allocate(4).putInt(length).array();
  }

  /**
   * Reads every client until each has seen EOF (or a reset), or the time is up.
   *
   * @param clients the channels (switched to non-blocking)
   * @param within the bound
   * @return what each client received before its end, for those that ended; the others are missing
   */
  static Map<SocketChannel, byte[]> readToEnd(List<SocketChannel> clients, Duration within)
      throws IOException {
    Map<SocketChannel, ByteArrayOutputStream> got = new HashMap<>();
    Map<SocketChannel, byte[]> ended = new HashMap<>();
    long deadline = System.nanoTime() + within.toNanos();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try (Selector sel = Selector.open()) {
      for (SocketChannel ch : clients) {
        ch.configureBlocking(false);
        ch.register(sel, SelectionKey.OP_READ);
        got.put(ch, new ByteArrayOutputStream());
      }
      while (ended.size() < clients.size()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        sel.select(Math.max(1, left / 1_000_000));
        for (SelectionKey k : sel.selectedKeys()) {
          SocketChannel ch = (SocketChannel) k.channel();
          int n;
          try {
            n = ch.read(buf.clear());
          } catch (IOException reset) {
            n = -1;
          }
          if (n < 0) {
            k.cancel();
            ended.put(ch, got.get(ch).toByteArray());
          } else {
            got.get(ch).write(buf.array(), 0, n);
          }
        }
        sel.selectedKeys().clear();
      }
    }
    return ended;
  }

  @Override
  public void close() {
    for (SocketChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
