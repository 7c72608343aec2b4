package dev.jnet.ipc.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node process running {@code message/unix-peer.js}: its output read line by line on a daemon
 * thread and taken with bounded waits; closing it ends its input, then destroys it if it has not
 * exited within ten seconds.
 */
final class UnixNodePeer implements AutoCloseable {
  private static final long WAIT_SECONDS = 20;

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private UnixNodePeer(Process process) {
    this.process = process;
    Thread pump = new Thread(this::pumpOutput, "node-peer-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts the peer.
   *
   * @param mode {@code server} or {@code client}
   * @param format {@code lp} or {@code lines}
   * @param socket the Unix socket path to listen on or connect to
   * @return the running peer
   * @throws Exception if the script is missing or node cannot start
   */
  static UnixNodePeer start(String mode, String format, Path socket) throws Exception {
    Path script = Path.of(UnixNodePeer.class.getResource("/message/unix-peer.js").toURI());
    Process p =
        new ProcessBuilder("node", script.toString(), mode, format, socket.toString())
            .redirectErrorStream(true)
            .start();
    return new UnixNodePeer(p);
  }

  /**
   * Tells whether {@code node} runs on this machine.
   *
   * @return true if {@code node --version} exits with 0 within ten seconds
   */
  static boolean isInstalled() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      boolean exited = p.waitFor(10, TimeUnit.SECONDS);
      p.destroyForcibly();
      return exited && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void pumpOutput() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("output failed: " + e);
    }
  }

  /**
   * Takes the next line the peer printed, waiting at most 20 seconds.
   *
   * @return the line
   * @throws InterruptedException if interrupted while waiting
   */
  String nextLine() throws InterruptedException {
    String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(line)
        .as("node printed a line within %d s (alive: %s)", WAIT_SECONDS, process.isAlive())
        .isNotNull();
    return line;
  }

  /**
   * Writes text to the peer's input and ends it.
   *
   * @param text the whole input
   * @throws IOException if the pipe breaks
   */
  void input(String text) throws IOException {
    try (OutputStream in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  /**
   * Waits at most 20 seconds for the peer to exit.
   *
   * @return its exit code
   * @throws InterruptedException if interrupted while waiting
   */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("node exited within %d s", WAIT_SECONDS)
        .isTrue();
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
