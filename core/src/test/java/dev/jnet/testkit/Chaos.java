package dev.jnet.testkit;

import dev.jnet.Socket;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Seeded randomness for one role of a stress scenario (one thread's choices, so a seed replays
 * them): write sizes, delays and actions. A delay on the I/O thread is injected through listeners
 * that park a few milliseconds, a delay on the caller's thread by parking between calls; this is
 * injection, not waiting for something.
 */
public final class Chaos {
  private final Random random;

  /**
   * Creates the randomness of one role.
   *
   * @param seed the seed
   */
  public Chaos(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Returns a derived source for another role (another thread), reproducible from this one's seed.
   *
   * @return the new source
   */
  public synchronized Chaos fork() {
    return new Chaos(random.nextLong());
  }

  /**
   * Returns a random int in {@code [0, bound)}.
   *
   * @param bound the exclusive bound
   * @return the number
   */
  public synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /**
   * Returns true with the probability {@code percent}/100.
   *
   * @param percent the chance in percent
   * @return the coin
   */
  public synchronized boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  /**
   * Returns a write size: mostly small, sometimes up to {@code max}, now and then empty.
   *
   * @param max the largest size
   * @return the size
   */
  public synchronized int writeSize(int max) {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return 0;
    }
    if (kind < 6) {
      return 1 + random.nextInt(Math.min(max, 512));
    }
    return 1 + random.nextInt(max);
  }

  /**
   * Fills a buffer with random bytes.
   *
   * @param bytes the buffer
   */
  public synchronized void fill(byte[] bytes) {
    random.nextBytes(bytes);
  }

  /** Parks the current thread 0 to 3 ms, one time in four. */
  public void maybeDelay() {
    int ms;
    synchronized (this) {
      ms = random.nextInt(4) == 0 ? random.nextInt(4) : -1;
    }
    if (ms >= 0) {
      LockSupport.parkNanos(ms * 1_000_000L + 100_000L);
    }
  }

  /**
   * Injects random delays on the socket's I/O thread: listeners on every event that park a few
   * milliseconds now and then. Register them before the scenario's own listeners to delay those
   * too.
   *
   * @param socket the socket
   * @return a fresh fork, the I/O thread's own randomness
   */
  public Chaos delayIoThread(Socket socket) {
    Chaos io = fork();
    socket.onConnect(io::maybeDelay);
    socket.onReady(io::maybeDelay);
    socket.onData(b -> io.maybeDelay());
    socket.onDrain(io::maybeDelay);
    socket.onEnd(io::maybeDelay);
    return io;
  }
}
