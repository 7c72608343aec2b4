package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.NetException;
import dev.jnet.Socket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One side of a chaotic conversation: listeners that write, end and destroy from inside events, and
 * a caller thread that writes with delays and then ends. Every write carries a callback; the bytes
 * of each write and its outcome are kept, so the peer's received bytes can be checked against what
 * was written and confirmed. A lock orders the writers and stops them at {@code end}.
 */
final class ChaoticPeer {
  private final Socket socket;
  private final Chaos chaos;
  private final boolean guardCalls;
  private final List<byte[]> writes = new ArrayList<>();
  private final List<Optional<NetException>> outcomes = new ArrayList<>();
  private final List<String> callbackProblems = new ArrayList<>();
  private boolean ended;
  private boolean destroyed;

  private ChaoticPeer(Socket socket, Chaos chaos, boolean guardCalls) {
    this.socket = socket;
    this.chaos = chaos;
    this.guardCalls = guardCalls;
  }

  /**
   * Makes a socket chaotic: random delays on its I/O thread and listeners that act on every data
   * event.
   *
   * @param socket the socket
   * @param chaos its randomness
   * @param guardCalls whether its calls are marked for the {@link InsideCall} check
   * @return the peer
   */
  static ChaoticPeer on(Socket socket, Chaos chaos, boolean guardCalls) {
    ChaoticPeer p = new ChaoticPeer(socket, chaos.delayIoThread(socket), guardCalls);
    socket.onData(b -> p.onEvent());
    socket.onEnd(p::onEvent);
    socket.onDrain(p::onEvent);
    return p;
  }

  private void onEvent() {
    int dice = chaos.nextInt(100);
    if (dice < 40) {
      write();
    } else if (dice < 43) {
      end();
    } else if (dice < 44) {
      destroy();
    } else if (dice < 47) {
      call("pause", socket::pause);
      call("resume", socket::resume);
    }
  }

  /** Writes some random bytes unless this side ended or was destroyed. */
  synchronized void write() {
    if (ended || destroyed) {
      return;
    }
    byte[] b = new byte[chaos.writeSize(16 * 1024)];
    chaos.fill(b);
    int id = writes.size();
    writes.add(b);
    outcomes.add(null);
    call("write", () -> socket.write(ByteBuffer.wrap(b), outcome -> written(id, outcome)));
  }

  private synchronized void written(int id, Optional<NetException> outcome) {
    if (outcomes.get(id) != null) {
      callbackProblems.add("the callback of write " + id + " was called twice");
    }
    outcomes.set(id, outcome);
    notifyAll();
  }

  /** Ends this side. */
  synchronized void end() {
    if (!ended && !destroyed) {
      ended = true;
      call("end", socket::end);
    }
  }

  private synchronized void destroy() {
    destroyed = true;
    call("destroy", socket::destroy);
  }

  private void call(String name, Runnable body) {
    if (guardCalls) {
      InsideCall.run(socket, name, body);
    } else {
      body.run();
    }
  }

  /**
   * Writes a few times from the calling thread with delays, then ends.
   *
   * @param count how many writes
   */
  void writeThenEnd(int count) {
    for (int i = 0; i < count; i++) {
      write();
      chaos.maybeDelay();
    }
    end();
  }

  /**
   * Waits until every write's callback was called (each exactly once), then returns the bytes of
   * the writes that succeeded; asserts that they come before every write that failed (a stream
   * fails from some point on).
   *
   * @param timeout the bound
   * @return the confirmed bytes, in order
   */
  synchronized byte[] confirmed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outcomes.contains(null)) {
      long left = deadline - System.nanoTime();
      assertThat(left)
          .as(
              "every write callback called within "
                  + timeout
                  + ", pending: "
                  + outcomes.indexOf(null)
                  + " of "
                  + outcomes.size())
          .isPositive();
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertThat(callbackProblems).as("write callbacks").isEmpty();
    ByteArrayOutputStream ok = new ByteArrayOutputStream();
    int firstFailure = -1;
    for (int i = 0; i < writes.size(); i++) {
      if (outcomes.get(i).isPresent()) {
        firstFailure = firstFailure < 0 ? i : firstFailure;
      } else if (writes.get(i).length > 0) {
        assertThat(firstFailure)
            .as(
                "write "
                    + i
                    + " succeeded after write "
                    + firstFailure
                    + " failed with "
                    + (firstFailure < 0 ? "" : outcomes.get(firstFailure).get()))
            .isEqualTo(-1);
        ok.write(writes.get(i), 0, writes.get(i).length);
      }
    }
    return ok.toByteArray();
  }

  /**
   * Returns the bytes of every write, confirmed or not.
   *
   * @return the bytes
   */
  synchronized byte[] issued() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    writes.forEach(b -> all.write(b, 0, b.length));
    return all.toByteArray();
  }

  /**
   * Returns whether this side destroyed its socket.
   *
   * @return true if it did
   */
  synchronized boolean destroyedItself() {
    return destroyed;
  }
}
