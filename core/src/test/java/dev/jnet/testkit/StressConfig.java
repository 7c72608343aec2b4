package dev.jnet.testkit;

import java.util.Random;

/**
 * The stress mode's settings, from system properties: {@code jnet.stress.reps} (repetitions of each
 * scenario), {@code jnet.stress.scale} (a multiplier on the byte counts), {@code jnet.stress.seed}
 * (the base seed; absent, a fresh one each run), {@code jnet.stress.delays} ({@code true}: every
 * contract, not only the stress ones, gets random delays on the I/O thread through {@link
 * EventRecorder} and on the caller's thread through {@link ContractSupport}) and {@code
 * jnet.stress.knownBugs} ({@code run} runs the cases marked {@link KnownBug}). The short mode (the
 * defaults) runs in every {@code mvn -B verify}; {@code -Pstress} raises the repetitions and sizes
 * and turns the delays on.
 */
public final class StressConfig {
  /** Repetitions of each scenario. */
  public static final int REPS = Integer.getInteger("jnet.stress.reps", 3);

  /** The multiplier on the byte counts. */
  public static final int SCALE = Integer.getInteger("jnet.stress.scale", 1);

  /** The base seed of this run. */
  public static final long SEED = Long.getLong("jnet.stress.seed", new Random().nextLong());

  /** Whether every contract gets random delays. */
  public static final boolean DELAYS = Boolean.getBoolean("jnet.stress.delays");

  private static final Chaos AMBIENT = new Chaos(SEED);

  private StressConfig() {}

  /**
   * Parks the current thread a few milliseconds now and then, when {@link #DELAYS} is on; the kit
   * calls it on the I/O thread (in every recorded event) and on the caller's thread (around connect
   * and listen).
   */
  public static void ambientDelay() {
    if (DELAYS) {
      AMBIENT.maybeDelay();
    }
  }

  /**
   * Returns the seed of one repetition of one scenario: a run with {@code -Djnet.stress.seed=} the
   * base seed makes the same random choices (sizes, delays, actions) again; the kernel's timing is
   * its own.
   *
   * @param scenario the scenario's name
   * @param rep the repetition
   * @return the seed
   */
  public static long seed(String scenario, int rep) {
    return SEED ^ (scenario.hashCode() * 0x9E3779B97F4A7C15L) ^ (rep * 0xC2B2AE3D27D4EB4FL);
  }

  /**
   * Describes how to replay, for failure messages.
   *
   * @return the system properties of this run
   */
  public static String replay() {
    return "-Djnet.stress.seed="
        + SEED
        + " -Djnet.stress.reps="
        + REPS
        + " -Djnet.stress.scale="
        + SCALE;
  }
}
