package dev.jnet.tcp.node;

import dev.jnet.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A real {@code node} process running one of the scripts in {@code src/test/resources/node/},
 * spoken to over a line protocol: it prints one flat JSON object per line on stdout ({@code
 * {"ev":"listening","port":N}}, socket events such as {@code {"ev":"close","hadError":"false"}}),
 * and reads one command word per line on stdin. Every wait is bounded; {@link #close()} ends the
 * process (closing stdin makes the script exit; a process that does not is killed).
 */
final class NodePeer implements AutoCloseable {
  /** Socket events, as the scripts' {@code record()} reports them. */
  private static final Set<String> SOCKET_EVENTS =
      Set.of("connect", "ready", "data", "end", "finish", "drain", "timeout", "error", "close");

  private final String label;
  private final Process process;
  private final OutputStream stdin;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Map<String, Object>> lines = new ArrayList<>();
  private final StringBuilder stderr = new StringBuilder();
  private boolean exited;

  private NodePeer(String label, Process process) {
    this.label = label;
    this.process = process;
    this.stdin = process.getOutputStream();
    daemon(label + "-stdout", () -> readStdout(process.getInputStream()));
    daemon(label + "-stderr", () -> readStderr(process.getErrorStream()));
  }

  /**
   * Starts {@code node <script> <args...>}.
   *
   * @param script a file name in {@code src/test/resources/node/}
   * @param args the script's arguments
   * @return the running peer
   * @throws AssertionError if {@code node} cannot be started (it must be on the PATH)
   */
  static NodePeer start(String script, Object... args) {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(scriptPath(script).toString());
    for (Object a : args) {
      command.add(String.valueOf(a));
    }
    try {
      String label = script + " " + String.join(" ", command.subList(2, command.size()));
      return new NodePeer(label.strip(), new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new AssertionError(
          "the Node-oracle ITs need Node.js 20+ as `node` on the PATH; starting "
              + command
              + " failed: "
              + e.getMessage(),
          e);
    }
  }

  private static Path scriptPath(String script) {
    URL url = NodePeer.class.getResource("/node/" + script);
    Objects.requireNonNull(url, () -> "no test resource node/" + script);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private void readStdout(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Map<String, Object> parsed;
        try {
          parsed = FlatJson.parse(line);
        } catch (RuntimeException e) {
          parsed = Map.of("ev", "unparsable", "line", line);
        }
        lock.lock();
        try {
          lines.add(parsed);
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException e) {
      // the process went away; exited is set below
    } finally {
      lock.lock();
      try {
        exited = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void readStderr(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lock.lock();
        try {
          stderr.append(line).append('\n');
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException e) {
      // the process went away
    }
  }

  /**
   * Waits for the script's {@code listening} line.
   *
   * @return the endpoint the Node server listens on
   */
  Endpoint awaitListening() {
    return new Endpoint.Tcp("127.0.0.1", number(await("listening"), "port").intValue());
  }

  /**
   * Waits, up to 10 seconds, for the first line with {@code "ev":event}.
   *
   * @param event the event name
   * @return that line
   */
  Map<String, Object> await(String event) {
    return await(event, Duration.ofSeconds(10));
  }

  /**
   * Waits for the first line with {@code "ev":event}.
   *
   * @param event the event name
   * @param timeout the bound
   * @return that line
   */
  Map<String, Object> await(String event, Duration timeout) {
    awaitLines("a line {\"ev\":\"" + event + "\"}", l -> indexOf(l, event, 0) >= 0, timeout);
    return lines().get(indexOf(lines(), event, 0));
  }

  /**
   * Waits, up to 10 seconds, for a line with {@code "ev":event} after line {@code from}.
   *
   * @param event the event name
   * @param from the index of the first line to consider
   * @return the index of that line
   */
  int awaitAfter(String event, int from) {
    awaitLines(
        "a line {\"ev\":\"" + event + "\"} at or after line " + from,
        l -> indexOf(l, event, from) >= 0,
        Duration.ofSeconds(10));
    return indexOf(lines(), event, from);
  }

  /**
   * Waits, up to 10 seconds, until the socket events ({@link #socketEvents()}) satisfy a test.
   *
   * @param what the description for the failure message
   * @param test the predicate
   * @return the socket events then
   */
  List<String> awaitEvents(String what, Predicate<List<String>> test) {
    awaitLines(what, l -> test.test(socketEvents(l)), Duration.ofSeconds(10));
    return socketEvents();
  }

  /**
   * Waits, up to 10 seconds, for the socket's {@code close}.
   *
   * @return the socket events then
   */
  List<String> awaitClose() {
    return awaitEvents("close", l -> l.stream().anyMatch(e -> e.startsWith("close:")));
  }

  private void awaitLines(
      String what, Predicate<List<Map<String, Object>>> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!test.test(lines)) {
        long left = deadline - System.nanoTime();
        if (exited) {
          throw new AssertionError(describe("node exited before " + what));
        }
        if (left <= 0) {
          throw new AssertionError(describe("timed out after " + timeout + " waiting for " + what));
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  private String describe(String headline) {
    lock.lock();
    try {
      return headline + " [" + label + "]\n  lines: " + lines + "\n  stderr: " + stderr;
    } finally {
      lock.unlock();
    }
  }

  private static int indexOf(List<Map<String, Object>> l, String event, int from) {
    for (int i = Math.max(0, from); i < l.size(); i++) {
      if (event.equals(l.get(i).get("ev"))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns every line so far.
   *
   * @return a copy
   */
  List<Map<String, Object>> lines() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the Node socket's events in the {@code EventRecorder} notation: {@code connect}, {@code
   * ready}, {@code data} (folded), {@code end}, {@code finish}, {@code drain}, {@code timeout},
   * {@code error:CODE}, {@code close:HADERROR}.
   *
   * @return the events so far
   */
  List<String> socketEvents() {
    return socketEvents(lines());
  }

  private static List<String> socketEvents(List<Map<String, Object>> l) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> m : l) {
      Object ev = m.get("ev");
      if (!SOCKET_EVENTS.contains(ev)) {
        continue;
      }
      if ("error".equals(ev)) {
        out.add("error:" + m.get("code"));
      } else if ("close".equals(ev)) {
        out.add("close:" + m.get("hadError"));
      } else {
        out.add((String) ev);
      }
    }
    return out;
  }

  /**
   * Sends one command line to the script.
   *
   * @param command the command word
   */
  void send(String command) {
    try {
      stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new AssertionError(describe("cannot send '" + command + "' to node: " + e), e);
    }
  }

  /**
   * Reads a numeric member.
   *
   * @param line a line
   * @param key the member
   * @return its value
   */
  static Number number(Map<String, Object> line, String key) {
    Object v = line.get(key);
    if (!(v instanceof Number n)) {
      throw new AssertionError("no number \"" + key + "\" in " + line);
    }
    return n;
  }

  /** Ends the script: closes its stdin, waits up to 5 seconds for it to exit, then kills it. */
  @Override
  public void close() throws InterruptedException {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "NodePeer[" + label + "]";
  }
}
