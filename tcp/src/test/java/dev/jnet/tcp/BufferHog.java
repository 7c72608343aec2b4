package dev.jnet.tcp;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code main} for {@link MemoryBudgetIT}, run in a child JVM with a small heap: six connections
 * each write 30 MiB, either ignoring backpressure into a server that never reads ({@code greedy})
 * or waiting for drain into one that reads ({@code polite}). It prints one line of figures and
 * exits 0, or prints what was thrown and exits 3.
 */
public final class BufferHog {
  private static final int SOCKETS = 6;
  private static final int CHUNK = 1 << 20;
  private static final int CHUNKS = 30;

  private BufferHog() {}

  public static void main(String[] args) {
    try {
      System.out.println(args[0].equals("greedy") ? greedy() : polite());
      System.exit(0);
    } catch (Throwable t) {
      System.out.println("THROWN " + t);
      System.exit(3);
    }
  }

  private static String greedy() throws Exception {
    Server server = Net.createServer(ServerOptions.defaults().withPauseOnConnect(true), s -> {});
    server
        .listen(Endpoint.parse("tcp://127.0.0.1:0"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    AtomicInteger full = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    CountDownLatch closed = new CountDownLatch(SOCKETS);
    byte[] data = new byte[CHUNK];
    Socket[] clients = new Socket[SOCKETS];
    for (int i = 0; i < SOCKETS; i++) {
      Socket c = Net.createConnection(server.address().orElseThrow());
      clients[i] = c;
      c.onError(e -> (e.code() == ErrorCode.ERR_BUFFER_FULL ? full : other).incrementAndGet());
      c.onClose(hadError -> closed.countDown());
      c.connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (int j = 0; j < CHUNKS; j++) {
        c.write(data); // ignores write's false: the buffer grows until a limit answers
      }
    }
    for (Socket c : clients) {
      c.destroy();
    }
    if (!closed.await(30, TimeUnit.SECONDS)) {
      return "TIMEOUT waiting for close";
    }
    server.close();
    return "full=" + full + " other=" + other + " limit=" + dev.jnet.internal.BufferBudget.limit();
  }

  private static String polite() throws Exception {
    AtomicLong received = new AtomicLong();
    CountDownLatch ended = new CountDownLatch(SOCKETS);
    Server server =
        Net.createServer(
            ServerOptions.defaults(),
            s -> {
              s.onData(b -> received.addAndGet(b.remaining()));
              s.onEnd(ended::countDown);
            });
    server
        .listen(Endpoint.parse("tcp://127.0.0.1:0"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    byte[] data = new byte[CHUNK];
    for (int i = 0; i < SOCKETS; i++) {
      Socket c = Net.createConnection(server.address().orElseThrow());
      CompletableFuture<Void> done = new CompletableFuture<>();
      c.onError(done::completeExceptionally);
      pump(c, data, new AtomicInteger(), done);
      done.get(60, TimeUnit.SECONDS);
    }
    if (!ended.await(60, TimeUnit.SECONDS)) {
      return "TIMEOUT received=" + received;
    }
    server.close();
    return "received=" + received;
  }

  /** Writes until write returns false, then again on drain; ends after the last chunk. */
  private static void pump(
      Socket c, byte[] data, AtomicInteger sent, CompletableFuture<Void> done) {
    while (sent.get() < CHUNKS) {
      sent.incrementAndGet();
      if (!c.write(data)) {
        c.onDrain(
            new Runnable() {
              private boolean fired;

              @Override
              public void run() {
                if (!fired) {
                  fired = true;
                  pump(c, data, sent, done);
                }
              }
            });
        return;
      }
    }
    c.end();
    done.complete(null);
  }
}
