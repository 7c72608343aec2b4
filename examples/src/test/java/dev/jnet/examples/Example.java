package dev.jnet.examples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of an example's {@code main} in a JVM of its own, as a user would start it. */
final class Example implements AutoCloseable {
  /** The bound on any example's run: they take about a second. */
  static final long WAIT_SECONDS = 60;

  private final Process process;
  private final Path out;
  private final Path err;

  private Example(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts an example.
   *
   * @param main the example's class
   * @param args its arguments
   * @return the running example
   */
  static Example start(Class<?> main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("jnet-example", ".out");
    Path err = Files.createTempFile("jnet-example", ".err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    return new Example(p, out, err);
  }

  /**
   * Waits for the example to exit by itself.
   *
   * @return its exit code
   */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "the example did not exit within "
              + WAIT_SECONDS
              + " s; stdout: "
              + out()
              + " stderr: "
              + err());
    }
    return process.exitValue();
  }

  /**
   * Waits until a line of its standard output starts with a prefix.
   *
   * @param prefix the prefix
   * @return the line
   */
  String awaitLine(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() - deadline < 0) {
      for (String line : out().split("\n", -1)) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError(
        "no line starting with '" + prefix + "'; stdout: " + out() + " stderr: " + err());
  }

  long pid() {
    return process.pid();
  }

  String out() {
    return read(out);
  }

  String err() {
    return read(err);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
  }
}
