package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.NetException;
import dev.jnet.Socket;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records every event of one socket, in order, and asserts the contract's sentences: the exact
 * sequence (data events folded into one {@code data} entry, since chunking is the kernel's choice),
 * one thread for all events, nothing after {@code close}, nothing from inside a call the test made
 * through {@link InsideCall}, and nothing under a jnet lock ({@link JnetLocks}). Waits are bounded;
 * nothing sleeps.
 */
public final class EventRecorder {
  private final Socket socket;
  private final JnetLocks jnetLocks;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<String> events = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private NetException error;
  private Thread eventThread;
  private boolean closed;

  private EventRecorder(Socket socket) {
    this.socket = socket;
    this.jnetLocks = JnetLocks.of(socket);
  }

  /**
   * Registers listeners for every event of the socket.
   *
   * @param socket the socket
   * @return the recorder
   */
  public static EventRecorder record(Socket socket) {
    EventRecorder r = new EventRecorder(socket);
    socket.onConnect(() -> r.add("connect"));
    socket.onReady(() -> r.add("ready"));
    socket.onData(
        b -> {
          r.lock.lock();
          try {
            r.data.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
          } finally {
            r.lock.unlock();
          }
          r.add("data");
        });
    socket.onEnd(() -> r.add("end"));
    socket.onDrain(() -> r.add("drain"));
    socket.onTimeout(() -> r.add("timeout"));
    socket.onError(
        e -> {
          r.lock.lock();
          try {
            r.error = e;
          } finally {
            r.lock.unlock();
          }
          r.add("error:" + e.code());
        });
    socket.onClose(hadError -> r.add("close:" + hadError));
    return r;
  }

  private void add(String event) {
    String held = jnetLocks.heldByCurrentThread(); // before taking the recorder's own lock
    StressConfig.ambientDelay(); // on the I/O thread, with -Djnet.stress.delays=true
    lock.lock();
    try {
      Thread t = Thread.currentThread();
      if (eventThread == null) {
        eventThread = t;
      } else if (eventThread != t) {
        violations.add(
            event + " arrived on " + t.getName() + ", earlier events on " + eventThread.getName());
      }
      if (closed) {
        violations.add(event + " arrived after close");
      }
      if (held != null) {
        violations.add(event + " was delivered while jnet held " + held);
      }
      String call = InsideCall.current(socket);
      if (call != null) {
        violations.add(
            event + " was emitted from inside " + call + "(), a call the user was still in");
      }
      if (event.startsWith("close:")) {
        closed = true;
      }
      if (!(event.equals("data")
          && !events.isEmpty()
          && events.get(events.size() - 1).equals("data"))) {
        events.add(event);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until an event matching the predicate has been recorded.
   *
   * @param what a description for the failure message
   * @param test the predicate on the event list
   * @param timeout the bound
   * @return this recorder
   */
  public EventRecorder await(String what, Predicate<List<String>> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!test.test(events)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          ThreadDump.print("timed out after " + timeout + " waiting for " + what);
          throw new AssertionError(
              "timed out after " + timeout + " waiting for " + what + "; events: " + events);
        }
        changed.awaitNanos(left);
      }
      return this;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for an event.
   *
   * @param event such as {@code end}, {@code close:false}, {@code error:ECONNRESET}
   * @param timeout the bound
   * @return this recorder
   */
  public EventRecorder await(String event, Duration timeout) {
    return await(event, l -> l.contains(event), timeout);
  }

  /**
   * Waits for {@code close} (either kind) within 10 seconds.
   *
   * @return this recorder
   */
  public EventRecorder awaitClose() {
    return await(
        "close", l -> l.stream().anyMatch(e -> e.startsWith("close:")), Duration.ofSeconds(10));
  }

  /**
   * Waits until at least {@code n} data bytes arrived.
   *
   * @param n the byte count
   * @param timeout the bound
   * @return this recorder
   */
  public EventRecorder awaitBytes(int n, Duration timeout) {
    return await(n + " bytes (have " + dataSize() + ")", l -> dataSize() >= n, timeout);
  }

  /**
   * Returns the events so far, consecutive data events folded into one.
   *
   * @return a copy of the sequence
   */
  public List<String> events() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the bytes received.
   *
   * @return a copy
   */
  public byte[] data() {
    lock.lock();
    try {
      return data.toByteArray();
    } finally {
      lock.unlock();
    }
  }

  private int dataSize() {
    lock.lock();
    try {
      return data.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the error, if one was emitted.
   *
   * @return the error or null
   */
  public NetException error() {
    lock.lock();
    try {
      return error;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asserts the exact sequence and the contract's invariants (one thread, nothing after close, at
   * most one error).
   *
   * @param expected the expected events
   * @return this recorder
   */
  public EventRecorder assertSequence(String... expected) {
    assertInvariants();
    assertThat(events()).as("event sequence").containsExactly(expected);
    return this;
  }

  /**
   * Asserts the sequence with {@code drain} events left out (their number depends on how fast the
   * peer reads), consecutive data events folded again, and the invariants.
   *
   * @param expected the expected events, without {@code drain}
   * @return this recorder
   */
  public EventRecorder assertSequenceIgnoringDrain(String... expected) {
    assertInvariants();
    List<String> seen = new ArrayList<>();
    for (String e : events()) {
      boolean repeatedData =
          e.equals("data") && !seen.isEmpty() && seen.get(seen.size() - 1).equals("data");
      if (!e.equals("drain") && !repeatedData) {
        seen.add(e);
      }
    }
    assertThat(seen).as("event sequence without drain, from " + events()).containsExactly(expected);
    return this;
  }

  /**
   * Counts the recorded occurrences of an event (consecutive data events count once).
   *
   * @param event the event
   * @return the count
   */
  public long count(String event) {
    return events().stream().filter(event::equals).count();
  }

  /**
   * Asserts the invariants only.
   *
   * @return this recorder
   */
  public EventRecorder assertInvariants() {
    lock.lock();
    try {
      assertThat(violations).as("contract violations").isEmpty();
      assertThat(events.stream().filter(e -> e.startsWith("error:")).count())
          .as("errors")
          .isLessThanOrEqualTo(1);
      assertThat(events.stream().filter(e -> e.startsWith("close:")).count())
          .as("closes")
          .isLessThanOrEqualTo(1);
      assertThat(events.stream().filter(e -> e.equals("end")).count())
          .as("ends")
          .isLessThanOrEqualTo(1);
      if (eventThread != null) {
        assertThat(eventThread.getName()).as("event thread").startsWith("jnet-io");
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Waits up to the bound for a quiet period, then asserts nothing arrived after close; used at the
   * end of a test to catch late events.
   *
   * @param quiet how long to watch
   */
  public void assertNothingMoreWithin(Duration quiet) {
    int before = events().size();
    lock.lock();
    try {
      changed.await(quiet.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    assertThat(events()).as("no events after the sequence ended").hasSize(before);
    assertInvariants();
  }
}
