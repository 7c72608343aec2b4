package dev.jnet.message;

import dev.jnet.SocketOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a {@link MessageClient} reconnects and how much it queues; immutable, built from {@link
 * #defaults()} with {@code withX} methods.
 *
 * <p>The delay before reconnect attempt {@code n} (0 for the first after a loss) is {@code
 * min(maxDelay, initialDelay * multiplier^n)}, scaled by a random factor in {@code [1 - jitter, 1]}
 * so that many clients cut off together do not come back together. A connection that comes up
 * resets {@code n}.
 *
 * <p>Threading: an immutable value, safe to share between threads.
 *
 * @param initialDelay the delay before the first attempt after a loss; default 100 ms
 * @param maxDelay the cap of the delay; default 10 s
 * @param multiplier the growth per failed attempt, 1 or more; default 2
 * @param jitter the random part of each delay, 0 to 1; default 0.5
 * @param maxQueuedMessages the bound of the outbound queue; default 1024
 * @param socketOptions the options of each connection; default {@link SocketOptions#defaults()}
 * @param heartbeat the {@link Heartbeat} of each connection: a connection whose server sent no byte
 *     for its timeout is destroyed with {@code ETIMEDOUT} (reported to {@code onDisconnect}, and to
 *     the stages of messages still unwritten), then the client reconnects; default {@link
 *     Heartbeat#off()}
 */
public record ReconnectOptions(
    Duration initialDelay,
    Duration maxDelay,
    double multiplier,
    double jitter,
    int maxQueuedMessages,
    SocketOptions socketOptions,
    Heartbeat heartbeat) {

  private static final ReconnectOptions DEFAULTS =
      new ReconnectOptions(
          Duration.ofMillis(100),
          Duration.ofSeconds(10),
          2.0,
          0.5,
          1024,
          SocketOptions.defaults(),
          Heartbeat.off());

  /**
   * Validates the options.
   *
   * @param initialDelay see the record description
   * @param maxDelay see the record description
   * @param multiplier see the record description
   * @param jitter see the record description
   * @param maxQueuedMessages see the record description
   * @param socketOptions see the record description
   * @param heartbeat see the record description
   */
  public ReconnectOptions {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(socketOptions, "socketOptions");
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialDelay <= maxDelay: " + initialDelay + ", " + maxDelay);
    }
    if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException(
          "need multiplier >= 1 and 0 <= jitter <= 1: " + multiplier + ", " + jitter);
    }
    if (maxQueuedMessages < 0) {
      throw new IllegalArgumentException("maxQueuedMessages must be >= 0: " + maxQueuedMessages);
    }
  }

  /**
   * Creates options without a heartbeat (the form before {@code heartbeat} existed).
   *
   * @param initialDelay see the record description
   * @param maxDelay see the record description
   * @param multiplier see the record description
   * @param jitter see the record description
   * @param maxQueuedMessages see the record description
   * @param socketOptions see the record description
   */
  public ReconnectOptions(
      Duration initialDelay,
      Duration maxDelay,
      double multiplier,
      double jitter,
      int maxQueuedMessages,
      SocketOptions socketOptions) {
    this(
        initialDelay,
        maxDelay,
        multiplier,
        jitter,
        maxQueuedMessages,
        socketOptions,
        Heartbeat.off());
  }

  /**
   * Returns the defaults.
   *
   * @return 100 ms doubling to 10 s, jitter 0.5, 1024 queued messages
   */
  public static ReconnectOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with other delays.
   *
   * @param initial the first delay
   * @param max the cap
   * @return the options
   */
  public ReconnectOptions withDelays(Duration initial, Duration max) {
    return new ReconnectOptions(
        initial, max, multiplier, jitter, maxQueuedMessages, socketOptions, heartbeat);
  }

  /**
   * Returns a copy with another growth factor.
   *
   * @param value the multiplier, 1 or more
   * @return the options
   */
  public ReconnectOptions withMultiplier(double value) {
    return new ReconnectOptions(
        initialDelay, maxDelay, value, jitter, maxQueuedMessages, socketOptions, heartbeat);
  }

  /**
   * Returns a copy with another jitter.
   *
   * @param value 0 (none) to 1 (a delay anywhere between zero and the computed one)
   * @return the options
   */
  public ReconnectOptions withJitter(double value) {
    return new ReconnectOptions(
        initialDelay, maxDelay, multiplier, value, maxQueuedMessages, socketOptions, heartbeat);
  }

  /**
   * Returns a copy with another queue bound.
   *
   * @param value the most messages that may wait
   * @return the options
   */
  public ReconnectOptions withMaxQueuedMessages(int value) {
    return new ReconnectOptions(
        initialDelay, maxDelay, multiplier, jitter, value, socketOptions, heartbeat);
  }

  /**
   * Returns a copy with other socket options.
   *
   * @param value the options of each connection
   * @return the options
   */
  public ReconnectOptions withSocketOptions(SocketOptions value) {
    return new ReconnectOptions(
        initialDelay, maxDelay, multiplier, jitter, maxQueuedMessages, value, heartbeat);
  }

  /**
   * Returns a copy with another heartbeat.
   *
   * @param value the heartbeat of each connection, or {@link Heartbeat#off()}
   * @return the options
   */
  public ReconnectOptions withHeartbeat(Heartbeat value) {
    return new ReconnectOptions(
        initialDelay, maxDelay, multiplier, jitter, maxQueuedMessages, socketOptions, value);
  }

  /**
   * Returns the delay before an attempt.
   *
   * @param attempt 0 for the first attempt after a loss
   * @return the delay, jitter applied
   */
  public Duration delay(int attempt) {
    double base = initialDelay.toNanos() * Math.pow(multiplier, Math.min(attempt, 64));
    double capped = Math.min(base, maxDelay.toNanos());
    double factor = 1.0 - jitter * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (capped * factor));
  }
}
