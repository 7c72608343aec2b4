package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte-exactness matrix: 4 MiB of random bytes through {@code send}/{@code recv}, {@code
 * connect}/{@code listen} (either side half-closing first), and {@code relay} (its accepting or its
 * connecting end on the transport, or a {@code file:}, {@code exec:} or {@code fifo:} end), with
 * the transport end on TCP, a Unix socket path, an abstract Unix name and {@code pipe:}, checked
 * with SHA-256, every process exiting 0.
 *
 * <p>{@code mvn verify} runs a representative subset ({@link Matrix#SHORT}); {@code -Pstress} runs
 * every cell under epoll and NIO with two CPU hogs beside it ({@link Matrix#full}).
 */
class CliByteExactnessIT extends SpawningTest {
  static final int SIZE = 4 * 1024 * 1024;
  private static final List<Process> HOGS = new ArrayList<>();

  @BeforeAll
  static void loadTheMachine() throws IOException {
    if (Matrix.isFull()) {
      for (int i = 0; i < 2; i++) {
        HOGS.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
      }
    }
  }

  @AfterAll
  static void stopTheHogs() throws InterruptedException {
    for (Process p : HOGS) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    HOGS.clear();
  }

  static List<Matrix.Cell> cells() {
    return Matrix.isFull() ? Matrix.full() : Matrix.SHORT;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  @Timeout(180)
  void everyByteArrivesInOrder(Matrix.Cell cell) throws Exception {
    Path in = dir.resolve("in.bin");
    byte[] data = new byte[SIZE];
    new SplittableRandom(cell.toString().hashCode()).nextBytes(data);
    Files.write(in, data);
    Path out = dir.resolve("out.bin");
    new MatrixRun(this, cell, in, out).run();
    assertThat(Files.size(out)).as("bytes that arrived").isEqualTo(SIZE);
    assertThat(sha256(out)).as("SHA-256 of what arrived").isEqualTo(sha256(in));
  }

  /** Spawns {@code jnet} on the cell's engine. */
  Spawned jnet(Matrix.Cell cell, String... args) {
    return spawn(Spawned.jnetOn(cell.engine(), args));
  }

  Spawned process(ProcessBuilder pb) {
    return spawn(pb);
  }

  Path dir() {
    return dir;
  }

  static File devNull() {
    return new File("/dev/null");
  }

  static String sha256(Path p) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream s = Files.newInputStream(p)) {
      byte[] buf = new byte[65536];
      for (int n; (n = s.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
