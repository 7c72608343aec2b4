package dev.jnet.ipc.message;

import dev.jnet.Endpoint;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A length-prefixed echo server in its own small-heap JVM, for {@link MessageServerHeapIT}.
 * Arguments: the socket path, the frame timeout and the first-frame timeout in milliseconds. It
 * prints one line per event on stdout ({@code listening}, {@code message LEN TEXT}, {@code error
 * CODE}) and obeys stdin: {@code broadcast N SIZE} (answers {@code broadcast-done sent=TOTAL} or
 * {@code broadcast-failed ERROR}), {@code heap} (answers {@code heap peak=B used-after-gc=B
 * direct=B}).
 */
public final class HostileServerChild {
  private HostileServerChild() {}

  /**
   * Runs the server until stdin ends.
   *
   * @param args path, frame timeout ms, first-frame timeout ms
   */
  public static void main(String[] args) throws Exception {
    MessageServerOptions options =
        MessageServerOptions.defaults()
            .withFrameTimeout(Duration.ofMillis(Long.parseLong(args[1])))
            .withFirstFrameTimeout(Duration.ofMillis(Long.parseLong(args[2])));
    MessageServer server =
        MessageServer.create(
            options,
            Framing.lengthPrefixed(),
            conn -> {
              conn.onError(e -> say("error " + e.code() + " " + e.getMessage()));
              conn.onMessage(
                  m -> {
                    say(
                        "message "
                            + m.remaining()
                            + " "
                            + StandardCharsets.ISO_8859_1.decode(
                                m.duplicate().limit(m.position() + Math.min(16, m.remaining()))));
                    conn.send(m);
                  });
            });
    server.listen(Endpoint.parse("unix:" + args[0])).toCompletableFuture().join();
    say("listening");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] w = line.split(" ");
      if (w[0].equals("broadcast")) {
        broadcast(server, Integer.parseInt(w[1]), Integer.parseInt(w[2]));
      } else if (w[0].equals("heap")) {
        say(heap());
      }
    }
    System.exit(0);
  }

  private static void broadcast(MessageServer server, int count, int size) {
    long sent = 0;
    try {
      for (int i = 0; i < count; i++) {
        sent += server.broadcast(ByteBuffer.allocate(size));
      }
      say("broadcast-done sent=" + sent);
    } catch (Throwable t) {
      say("broadcast-failed after " + sent + ": " + t);
    }
  }

  private static String heap() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.gc();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return "heap peak="
        + peak
        + " used-after-gc="
        + used
        + " direct="
        + PlatformDependent.usedDirectMemory();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
