package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The process-wide buffer budget (threat model promise 5) in a child JVM with a 64 MiB heap: six
 * sockets that each buffer 30 MiB, below their own 64 MiB cap, used to end in {@code
 * OutOfMemoryError}; now the writes past the budget answer {@code ERR_BUFFER_FULL}, and writers
 * that respect backpressure still move every byte.
 */
class MemoryBudgetIT {

  private static String run(String scenario) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                "-Djnet.transport=" + System.getProperty("jnet.transport", ""),
                BufferHog.class.getName(),
                scenario)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
      assertThat(p.exitValue()).as("exit status; its line: " + line).isZero();
      return line;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void writersIgnoringBackpressureGetBufferFullInsteadOfOutOfMemory() throws Exception {
    String line = run("greedy");
    assertThat(line).startsWith("full=").doesNotStartWith("full=0 ").contains("other=0");
  }

  @Test
  void unreadBytesOfManyConnectionsStopReadingInsteadOfExhaustingMemory() throws Exception {
    int connections = 300;
    int each = 128 << 10;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                "-Djnet.transport=" + System.getProperty("jnet.transport", ""),
                InboxHog.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<java.nio.channels.SocketChannel> clients = new ArrayList<>();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      int port = Integer.parseInt(r.readLine().substring("listening ".length()));
      ByteBuffer payload = ByteBuffer.allocate(each);
      for (int i = 0; i < connections; i++) {
        SocketChannel c =
            SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        c.configureBlocking(false);
        clients.add(c);
      }
      Map<SocketChannel, ByteBuffer> left = new HashMap<>();
      for (SocketChannel c : clients) {
        left.put(c, payload.duplicate());
      }
      // First fill everything the server will take while nobody reads there, then let it consume
      // the rest.
      for (int idle = 0; idle < 50 && !left.isEmpty(); ) {
        idle = writeOnce(left) == 0 ? idle + 1 : 0;
        Thread.yield();
      }
      p.getOutputStream()
          .write(("consume " + (long) connections * each + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        writeOnce(left);
      }
      assertThat(left).as("connections with bytes the server never took").isEmpty();
      String line = r.readLine();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
      assertThat(line)
          .isEqualTo("received=" + (long) connections * each + " errors=0 sockets=" + connections);
    } finally {
      for (SocketChannel c : clients) {
        c.close();
      }
      p.destroyForcibly();
    }
  }

  private static long writeOnce(Map<SocketChannel, ByteBuffer> left) {
    long[] wrote = new long[1];
    left.entrySet()
        .removeIf(
            e -> {
              try {
                wrote[0] += e.getKey().write(e.getValue());
                return !e.getValue().hasRemaining();
              } catch (IOException x) {
                throw new UncheckedIOException(x);
              }
            });
    return wrote[0];
  }

  @Test
  void writersThatWaitForDrainMoveEveryByteUnderTheBudget() throws Exception {
    assertThat(run("polite")).isEqualTo("received=" + (6L * 30 * (1 << 20)));
  }
}
