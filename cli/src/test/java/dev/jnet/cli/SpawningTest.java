package dev.jnet.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the {@code *IT} classes: spawns processes, waits for their output lines, kills them
 * after each test.
 */
@Timeout(60)
abstract class SpawningTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final List<Spawned> processes = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void killEverything() throws InterruptedException {
    for (Spawned p : processes) {
      p.close();
    }
  }

  Spawned spawn(ProcessBuilder pb) {
    Spawned p = Spawned.start(pb);
    processes.add(p);
    return p;
  }

  /**
   * Starts {@code jnet ARGS} and waits for its {@code listening on ENDPOINT} line; returns the real
   * endpoint.
   */
  String listening(Spawned server) throws InterruptedException {
    return server.awaitStderr("listening on (\\S+)\\R", WAIT).group(1);
  }

  /** Starts {@code jnet echo} on a free loopback port and returns its endpoint. */
  String echoServer() throws InterruptedException {
    return listening(spawn(Spawned.jnet("echo", "-q", "tcp://127.0.0.1:0")));
  }

  /** A file in the test's folder holding this text. */
  java.io.File file(String text) throws Exception {
    return Files.writeString(dir.resolve("in-" + System.nanoTime()), text, StandardCharsets.UTF_8)
        .toFile();
  }

  String sockPath(String name) {
    return "unix:" + dir.resolve(name);
  }

  static String quote(String s) {
    return Pattern.quote(s);
  }
}
