package dev.jnet.ipc.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ipc.UnixFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input against a message server in a real small heap ({@code -Xmx64m}, a child JVM), under
 * epoll and under NIO: bare 16 MiB headers from many connections followed by a legal 16 MiB header
 * and {@code 00 00 00 06 INJECT} (before the fix: {@code OutOfMemoryError}s, caught, and INJECT
 * delivered and echoed), and subscribers that never read a broadcast (before the fix: {@code
 * OutOfMemoryError} for direct memory).
 */
@Timeout(180)
class MessageServerHeapIT {
  private static final int HEADERS = 40;
  private final RawClients clients = new RawClients();
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private Process child;
  private Path stderr;

  @AfterEach
  void stop() throws Exception {
    clients.close();
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (stderr != null) {
      Files.deleteIfExists(stderr);
    }
  }

  /**
   * Starts the child server.
   *
   * @param exitOnOom whether the child dies on the first OutOfMemoryError the JVM raises (else one
   *     that jnet catches shows in its log, and what happens after it can be seen)
   */
  private Path start(
      String transport, boolean exitOnOom, long frameTimeoutMs, long firstFrameTimeoutMs)
      throws Exception {
    Path path = UnixFixture.freshPath();
    stderr = Files.createTempFile("jnet-heap-child", ".err");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                exitOnOom ? "-XX:+ExitOnOutOfMemoryError" : "-XX:-ExitOnOutOfMemoryError",
                "-Djnet.transport=" + transport,
                "-cp",
                System.getProperty("java.class.path"),
                HostileServerChild.class.getName(),
                path.toString(),
                Long.toString(frameTimeoutMs),
                Long.toString(firstFrameTimeoutMs)));
    child = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    Thread reader = new Thread(() -> pump(child), "heap-child-stdout");
    reader.setDaemon(true);
    reader.start();
    assertThat(next()).isEqualTo("listening");
    return path;
  }

  private void pump(Process p) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    } catch (IOException e) {
      // the child went away
    }
    lines.add("EOF exit=" + exitCode(p));
  }

  private static String exitCode(Process p) {
    try {
      return p.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "?";
    } catch (InterruptedException e) {
      return "?";
    }
  }

  private String next() throws Exception {
    String l = lines.poll(60, TimeUnit.SECONDS);
    if (l == null || l.startsWith("EOF")) {
      throw new AssertionError("the child said " + l + "; its stderr: " + Files.readString(stderr));
    }
    return l;
  }

  private void command(String line) throws IOException {
    child.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    child.getOutputStream().flush();
  }

  private String heap() throws Exception {
    command("heap");
    for (String l = next(); ; l = next()) {
      if (l.startsWith("heap ")) {
        return l;
      }
    }
  }

  private void assertNoOutOfMemory() throws IOException {
    assertThat(child.isAlive()).as("the child is alive (no OutOfMemoryError)").isTrue();
    assertThat(Files.readString(stderr))
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("OutOfDirectMemory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void bareMaximalHeadersFromManyConnectionsNeitherExhaustTheHeapNorDesynchroniseTheStream(
      String transport) throws Exception {
    Path path = start(transport, false, 1000, 0);
    List<SocketChannel> all = new ArrayList<>();
    for (int i = 0; i < HEADERS; i++) {
      SocketChannel ch = clients.connect(path);
      RawClients.writeAll(ch, RawClients.header(16 << 20));
      all.add(ch);
    }
    SocketChannel inject = clients.connect(path);
    RawClients.writeAll(inject, RawClients.header(16 << 20));
    RawClients.writeAll(inject, RawClients.header(6));
    RawClients.writeAll(inject, "INJECT".getBytes(StandardCharsets.US_ASCII));
    all.add(inject);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      events.add(next());
    }
    assertThat(events)
        .allMatch(e -> e.startsWith("error ETIMEDOUT"), "every connection ends with ETIMEDOUT");
    Map<SocketChannel, byte[]> ended = RawClients.readToEnd(all, Duration.ofSeconds(30));
    assertThat(ended).hasSize(all.size());
    assertThat(ended.get(inject)).as("INJECT is never echoed").isEmpty();
    String heap = heap();
    System.out.println(
        "MessageServerHeapIT["
            + transport
            + "]: after "
            + HEADERS
            + " bare 16 MiB headers: "
            + heap);
    assertNoOutOfMemory();
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void subscribersThatNeverReadAreCutOffWithBufferFullNotOutOfMemory(String transport)
      throws Exception {
    Path path = start(transport, true, 10_000, 10_000);
    List<SocketChannel> subscribers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SocketChannel ch = clients.connect(path);
      RawClients.writeAll(ch, new byte[] {0, 0, 0, 2, 'h', 'i'});
      subscribers.add(ch);
      assertThat(next()).isEqualTo("message 2 hi");
    }
    command("broadcast 2000 65536");
    List<String> events = new ArrayList<>();
    String done = next();
    for (; !done.startsWith("broadcast-"); done = next()) {
      events.add(done);
    }
    assertThat(done).startsWith("broadcast-done");
    while (events.size() < 8) {
      events.add(next());
    }
    assertThat(events).hasSize(8).allMatch(e -> e.startsWith("error ERR_BUFFER_FULL"));
    String heap = heap();
    System.out.println(
        "MessageServerHeapIT["
            + transport
            + "]: after 8 never-reading subscribers and 2000 x 64 KiB"
            + " broadcasts: "
            + heap);
    assertNoOutOfMemory();
  }
}
