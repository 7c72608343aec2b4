package dev.jnet.tcp;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code main} for {@link MemoryBudgetIT}, run in a child JVM with a small heap: a server whose
 * sockets nobody reads at first. It prints {@code listening PORT}; on the line {@code consume N}
 * from stdin it attaches a data listener to every socket, waits until N bytes arrived, and prints
 * {@code received=N errors=E}.
 */
public final class InboxHog {
  private InboxHog() {}

  private static void consumeFrom(Socket s, Set<Socket> consuming, AtomicLong received) {
    if (consuming.add(s)) {
      s.onData(b -> received.addAndGet(b.remaining()));
    }
  }

  public static void main(String[] args) {
    try {
      List<Socket> sockets = new CopyOnWriteArrayList<>();
      AtomicInteger errors = new AtomicInteger();
      AtomicLong received = new AtomicLong();
      Set<Socket> consuming = ConcurrentHashMap.newKeySet();
      AtomicBoolean consume = new AtomicBoolean();
      Server server =
          Net.createServer(
              ServerOptions.defaults().withMaxConnections(100_000),
              s -> {
                s.onError(e -> errors.incrementAndGet());
                sockets.add(s);
                if (consume
                    .get()) { // accepted after the order to consume: the kernel's backlog held it
                  // until now
                  consumeFrom(s, consuming, received);
                }
              });
      server
          .listen(Endpoint.parse("tcp://127.0.0.1:0"))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      System.out.println("listening " + ((Endpoint.Tcp) server.address().orElseThrow()).port());
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      long expected = Long.parseLong(line.substring("consume ".length()));
      consume.set(true);
      for (Socket s : sockets) {
        consumeFrom(s, consuming, received);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (received.get() < expected && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        Thread.sleep(
            5); // polling a counter in a test child; the parent's assertion has the deadline
      }
      System.out.println(
          "received=" + received + " errors=" + errors + " sockets=" + sockets.size());
      System.exit(0);
    } catch (Throwable t) {
      System.out.println("THROWN " + t);
      System.exit(3);
    }
  }
}
