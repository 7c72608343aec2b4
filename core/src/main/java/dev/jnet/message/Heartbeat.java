package dev.jnet.message;

import java.time.Duration;
import java.util.Objects;

/**
 * The heartbeat of a message connection: each end sends an empty frame when it has sent nothing for
 * {@code interval}, and destroys the connection with {@code ETIMEDOUT} when it has received no byte
 * for {@code timeout}. It notices a peer that went silent without a FIN or a reset (a cut link, a
 * powered-off host, a frozen process) in seconds, where TCP alone takes minutes to hours. Off by
 * default; immutable.
 *
 * <h2>On the wire</h2>
 *
 * The heartbeat is the framing's empty message: {@code 00 00 00 00} in {@link
 * LengthPrefixedFraming}, a bare {@code \n} in {@link LineFraming}. With the heartbeat on, an empty
 * frame received is never delivered as a message, and {@code send} of an empty message is refused
 * with {@code IllegalArgumentException} (it would be taken for a heartbeat). With the heartbeat off
 * (the default) nothing on the wire changes. Turn it on at both ends: a peer without it receives an
 * empty message every {@code interval}, and sends none, so this end times it out unless it sends
 * something else. A framing that cannot encode an empty message cannot carry the heartbeat, and
 * {@link MessageSocket#wrap(dev.jnet.Socket, Framing, Heartbeat)} refuses it; Node's IPC channel
 * ({@link NodeChannel}) has no heartbeat (Node throws on an empty line, and sends none itself).
 *
 * <h2>Bounds</h2>
 *
 * <ul>
 *   <li>A heartbeat leaves between {@code interval} and {@code 1.5 * interval} after the last byte
 *       written, and only when nothing is waiting in the write buffer (a heartbeat never queues
 *       behind unsent data, so it costs no memory with a peer that stopped reading).
 *   <li>Any received byte counts, not only a heartbeat or a whole message: a connection is
 *       destroyed between {@code timeout} and {@code timeout + interval / 2} after its last byte
 *       arrived. The clock runs while the connection reads: from the first {@code onMessage}
 *       listener, and not while the application has paused it. A connection that only sends (a
 *       broadcast subscriber's, on the server) must register a listener, even {@code m -> {}}, for
 *       its heartbeat to hear the peer.
 *   <li>A peer that trickles one byte per interval is alive to the heartbeat; a stalled frame is
 *       the job of {@link MessageServerOptions#frameTimeout()}. A peer that sends only heartbeats
 *       is alive too, but it sends no message: {@link MessageServerOptions#firstFrameTimeout()}
 *       still applies.
 * </ul>
 *
 * <p>Why off by default: the empty frame is a change of the wire format that every peer must expect
 * (a Python NDJSON reader, a length-prefixed peer in C), and an application may send empty messages
 * today. A server or client that talks to jnet peers over a network should turn it on: {@code
 * Heartbeat.every(Duration.ofSeconds(5))} notices a dead peer within 15 to 17.5 s and costs one
 * 4-byte frame per 5 idle seconds.
 *
 * <p>Threading: an immutable value, safe to share between threads.
 *
 * @param interval the idle time after which a heartbeat is sent; {@link Duration#ZERO} for off
 * @param timeout the silence after which the connection is destroyed; more than {@code interval}
 *     when on, {@link Duration#ZERO} when off
 */
public record Heartbeat(Duration interval, Duration timeout) {

  private static final Heartbeat OFF = new Heartbeat(Duration.ZERO, Duration.ZERO);

  /**
   * Validates the values.
   *
   * @param interval see the record description
   * @param timeout see the record description
   */
  public Heartbeat {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (interval.isZero() != timeout.isZero()
        || interval.isNegative()
        || (!interval.isZero() && timeout.compareTo(interval) <= 0)) {
      throw new IllegalArgumentException(
          "need 0 < interval < timeout, or both zero (off): " + interval + ", " + timeout);
    }
  }

  /**
   * Returns the heartbeat that is off: nothing is sent, and silence is not limited.
   *
   * @return the off value, the default of every option that holds a heartbeat
   */
  public static Heartbeat off() {
    return OFF;
  }

  /**
   * Returns a heartbeat every {@code interval} with a timeout of three intervals: one heartbeat may
   * be lost or delayed by a full interval without a false alarm.
   *
   * @param interval the idle time after which a heartbeat is sent, more than zero
   * @return the heartbeat
   */
  public static Heartbeat every(Duration interval) {
    return new Heartbeat(interval, interval.multipliedBy(3));
  }

  /**
   * Returns a copy with another timeout.
   *
   * @param value the silence after which the connection is destroyed, more than the interval
   * @return the heartbeat
   */
  public Heartbeat withTimeout(Duration value) {
    return new Heartbeat(interval, value);
  }

  /**
   * Tells whether the heartbeat is on.
   *
   * @return true unless this is {@link #off()}
   */
  public boolean isOn() {
    return !interval.isZero();
  }
}
