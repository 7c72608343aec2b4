package dev.jnet.testkit;

import java.util.Random;

/**
 * The stress mode's settings, from system properties: {@code jnet.stress.reps} (repetitions of each scenario),
 * {@code jnet.stress.scale} (a multiplier on the byte counts), {@code jnet.stress.seed} (the base seed; absent, a
 * fresh one each run) and {@code jnet.stress.knownBugs} ({@code run} runs the cases marked {@link KnownBug}). The
 * short mode (the defaults) runs in every {@code mvn -B verify}; {@code -Pstress} raises the repetitions and sizes.
 */
public final class StressConfig {
  /** Repetitions of each scenario. */
  public static final int REPS = Integer.getInteger("jnet.stress.reps", 3);
  /** The multiplier on the byte counts. */
  public static final int SCALE = Integer.getInteger("jnet.stress.scale", 1);
  /** The base seed of this run. */
  public static final long SEED = Long.getLong("jnet.stress.seed", new Random().nextLong());

  private StressConfig() {}

  /**
   * Returns the seed of one repetition of one scenario: a run with {@code -Djnet.stress.seed=} the base seed
   * makes the same random choices (sizes, delays, actions) again; the kernel's timing is its own.
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
    return "-Djnet.stress.seed=" + SEED + " -Djnet.stress.reps=" + REPS + " -Djnet.stress.scale=" + SCALE;
  }
}
