package dev.jnet.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process for the {@code *IT} tests: the real {@code jnet} jar or a Node peer. Whatever
 * stdout and stderr are not redirected to files are captured; tests wait for a pattern there (never
 * sleep), every wait is bounded, and {@link #close()} kills the process.
 */
final class Spawned implements AutoCloseable {
  private static final Path JAR =
      Path.of(System.getProperty("jnet.jar", "target/jnet.jar")).toAbsolutePath();

  /**
   * The engine every jar of this run uses unless a test names one: the build's {@code nio}
   * execution sets it.
   */
  static final String ENGINE = System.getProperty("jnet.cli.engine", "");

  /**
   * Tells whether this run's jars use NIO, which has no abstract Unix names and cannot read a Unix
   * peer's credentials (README, transports); the tests of those features check NIO's clear refusal
   * instead.
   *
   * @return true under the build's {@code nio} execution
   */
  static boolean onNio() {
    return ENGINE.equals("nio");
  }

  private final List<String> command;
  private final Process process;
  private final Capture out;
  private final Capture err;

  private Spawned(ProcessBuilder pb) {
    this.command = pb.command();
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
    out = new Capture(process.getInputStream(), "stdout of " + command);
    err = new Capture(process.getErrorStream(), "stderr of " + command);
  }

  /**
   * Returns a process builder that runs the real jar on this run's engine ({@link #ENGINE}): {@code
   * java -jar cli/target/jnet.jar ARGS}.
   *
   * @param args jnet's arguments
   * @return the builder, to redirect stdin or stdout on
   */
  static ProcessBuilder jnet(String... args) {
    return jnetOn(ENGINE, args);
  }

  /**
   * Returns a process builder that runs the real jar on an engine: {@code java
   * -Djnet.transport=ENGINE -jar ...}.
   *
   * @param engine {@code nio}, {@code epoll}, or empty for the default
   * @param args jnet's arguments
   * @return the builder
   */
  static ProcessBuilder jnetOn(String engine, String... args) {
    // A test run started in the background (a non-interactive shell's `cmd &`) ignores SIGINT, and
    // an ignored
    // signal is inherited and cannot be handled by the JVM: give the jar SIGINT's default
    // disposition back.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "env",
                "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid",
                "-Djnet.transport=" + engine,
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /**
   * A python3 script run as uid and gid 65534 with no groups (setpriv): another user's process.
   * Needs root.
   *
   * @param script the script
   * @param args its arguments
   * @return the process to start
   */
  static ProcessBuilder pythonAsNobody(String script, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "/usr/bin/python3",
                "-c",
                script));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /**
   * Returns a process builder that runs a Node script: {@code node -e SCRIPT ARGS}.
   *
   * @param script the program
   * @param args its {@code process.argv.slice(1)}
   * @return the builder
   */
  static ProcessBuilder node(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("node", "-e", script));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Spawned start(ProcessBuilder pb) {
    return new Spawned(pb);
  }

  /**
   * Waits for the process to exit.
   *
   * @param timeout the bound
   * @return the exit code
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("%s did not exit within %s; stderr so far:%n%s", command, timeout, err.text());
    }
    out.join();
    err.join();
    return process.exitValue();
  }

  /** Waits for a regex on stdout and returns the match. */
  Matcher awaitStdout(String regex, Duration timeout) throws InterruptedException {
    return out.await(Pattern.compile(regex), timeout);
  }

  /** Waits for a regex on stderr and returns the match. */
  Matcher awaitStderr(String regex, Duration timeout) throws InterruptedException {
    return err.await(Pattern.compile(regex), timeout);
  }

  long pid() {
    return process.pid();
  }

  byte[] stdoutBytes() {
    return out.bytes();
  }

  String stdout() {
    return out.text();
  }

  String stderr() {
    return err.text();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  /**
   * Sends a signal with {@code kill}.
   *
   * @param name {@code INT}, {@code TERM}, ...
   */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -%s %d failed", name, process.pid());
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Everything a stream produced, readable while it grows. */
  private static final class Capture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;
    private final String name;
    private boolean ended;

    Capture(InputStream in, String name) {
      this.name = name;
      reader = new Thread(() -> copy(in), "capture " + name);
      reader.setDaemon(true);
      reader.start();
    }

    private void copy(InputStream in) {
      byte[] buf = new byte[65536];
      try (in) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          synchronized (this) {
            bytes.write(buf, 0, n);
            notifyAll();
          }
        }
      } catch (IOException e) {
        // the process went away; keep what arrived
      } finally {
        synchronized (this) {
          ended = true;
          notifyAll();
        }
      }
    }

    synchronized Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Matcher m = pattern.matcher(text());
        if (m.find()) {
          return m;
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
          return fail("no /%s/ on %s within %s; it said:%n%s", pattern, name, timeout, text());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    void join() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    synchronized byte[] bytes() {
      return bytes.toByteArray();
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
