package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Net;
import dev.jnet.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;

/**
 * The base of the stress contracts: repeats a scenario {@link StressConfig#REPS} times, each
 * repetition with its own seed, and names the transport, engine, repetition and seed in any failure
 * so that it can be replayed.
 */
@Timeout(300)
public abstract class StressSupport extends ContractSupport {

  /**
   * Runs a scenario once per repetition.
   *
   * @param scenario the scenario's name (part of the seed)
   * @param body the scenario, given its randomness
   */
  protected void repeat(String scenario, Consumer<Chaos> body) {
    for (int rep = 0; rep < StressConfig.REPS; rep++) {
      long seed = StressConfig.seed(scenario, rep);
      try {
        body.accept(new Chaos(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            fixture().name()
                + " under "
                + Net.engine()
                + ", "
                + scenario
                + " repetition "
                + (rep + 1)
                + " of "
                + StressConfig.REPS
                + " (its seed "
                + seed
                + "; replay with "
                + StressConfig.replay()
                + "): "
                + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Returns the byte count of a bulk transfer: {@code base} times {@link StressConfig#SCALE}.
   *
   * @param base the count in the short mode
   * @return the count
   */
  protected static int size(int base) {
    return base * StressConfig.SCALE;
  }

  /**
   * Asserts that bytes arrived exactly, by length and SHA-256.
   *
   * @param what a description
   * @param received what arrived
   * @param sent what was sent
   */
  protected static void assertSameBytes(String what, byte[] received, byte[] sent) {
    assertThat(received.length).as(what + ": byte count").isEqualTo(sent.length);
    assertThat(sha256(received)).as(what + ": SHA-256").isEqualTo(sha256(sent));
  }

  /**
   * Asserts that the received bytes are a prefix of the sent ones (a destroyed stream may stop
   * early, but never reorder, repeat or invent).
   *
   * @param what a description
   * @param received what arrived
   * @param sent what was sent
   */
  protected static void assertPrefix(String what, byte[] received, byte[] sent) {
    assertThat(received.length)
        .as(what + ": byte count within what was sent")
        .isLessThanOrEqualTo(sent.length);
    assertThat(java.util.Arrays.mismatch(received, 0, received.length, sent, 0, received.length))
        .as(what + ": first differing byte")
        .isEqualTo(-1);
  }

  /**
   * Returns a hex SHA-256.
   *
   * @param bytes the bytes
   * @return the digest
   */
  protected static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Starts a daemon thread for a scenario's caller-side actor.
   *
   * @param name the thread's name
   * @param body what it does
   * @return the started thread
   */
  protected static Thread actor(String name, Runnable body) {
    Thread t = new Thread(body, "stress-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits for an actor to finish, bounded.
   *
   * @param t the actor
   */
  protected static void join(Thread t) {
    try {
      t.join(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(t.isAlive()).as(t.getName() + " finished within " + WAIT).isFalse();
  }

  /**
   * Writes {@code data} in random sizes with random caller-side delays, honouring {@code drain} the
   * way Node asks, then ends; from the I/O thread's {@code drain} listener as much as from the
   * caller.
   *
   * @param socket where to write
   * @param data what to write
   * @param chaos the writer's randomness
   * @return the pump
   */
  protected static ChaosPump pump(Socket socket, byte[] data, Chaos chaos) {
    return ChaosPump.start(socket, data, chaos);
  }
}
