package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ReadyState;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Idle timeouts (rule 8): {@code timeout} fires after the idle time, once per idle period, is
 * re-armed by activity, never closes the socket, and {@code setTimeout(ZERO)} disables it. Timing
 * is asserted only as loose lower bounds.
 */
public abstract class TimeoutContract extends ContractSupport {
  private static final Duration IDLE = Duration.ofMillis(200);
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  @Test
  void timeoutFiresAfterTheIdleTimeAndDoesNotClose() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    LinkedBlockingQueue<Long> fired = timeouts(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    Accepted peer = take(accepted);

    long armed = System.nanoTime();
    client.setTimeout(IDLE);
    events.await("timeout", WAIT);
    assertThat(poll(fired) - armed)
        .as("nanos from setTimeout to timeout")
        .isGreaterThanOrEqualTo(IDLE.toNanos() - SLACK_NANOS);
    assertThat(client.readyState()).isEqualTo(ReadyState.OPEN);
    client.write("still open");
    peer.events().awaitBytes(10, WAIT);
    client.destroy();
    events.awaitClose().assertSequence("connect", "ready", "timeout", "close:false");
  }

  @Test
  void timeoutFiresOncePerIdlePeriodAndActivityRearmsIt() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    Accepted peer = take(accepted);
    client.setTimeout(IDLE);
    events.await("timeout", WAIT);
    events.assertNothingMoreWithin(IDLE.multipliedBy(3));
    assertThat(events.count("timeout")).as("one timeout per idle period").isEqualTo(1);

    peer.socket().write("wake up");
    events.await(
        "a second timeout after new activity",
        l -> l.stream().filter("timeout"::equals).count() == 2,
        WAIT);
    assertThat(events.events()).containsExactly("connect", "ready", "timeout", "data", "timeout");
  }

  @Test
  void steadyActivityKeepsPostponingTheTimeout() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    LinkedBlockingQueue<Long> fired = timeouts(client);
    LinkedBlockingQueue<Long> received = new LinkedBlockingQueue<>();
    client.onData(b -> received.add(System.nanoTime()));
    await(client.connected());
    Socket peer = take(accepted).socket();
    client.setTimeout(IDLE);

    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 1; i <= 6; i++) {
        ticker.schedule(() -> peer.write("."), i * IDLE.toMillis() / 4, TimeUnit.MILLISECONDS);
      }
      long timeoutAt = poll(fired);
      long lastActivityBefore =
          received.stream().filter(t -> t < timeoutAt).max(Long::compare).orElseThrow();
      assertThat(timeoutAt - lastActivityBefore)
          .as("idle nanos before the timeout")
          .isGreaterThanOrEqualTo(IDLE.toNanos() - SLACK_NANOS);
    } finally {
      ticker.shutdownNow();
    }
  }

  @Test
  void setTimeoutZeroDisablesIt() {
    Server server = listen(ServerOptions.defaults(), s -> {});
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT);
    client.setTimeout(Duration.ofMillis(100));
    client.setTimeout(Duration.ZERO);
    events.assertNothingMoreWithin(Duration.ofMillis(400));
    assertThat(events.events()).containsExactly("connect", "ready");
  }

  @Test
  void theTimeoutOptionArmsTheTimerFromTheStart() {
    Server server = listen(ServerOptions.defaults(), s -> {});
    long started = System.nanoTime();
    Socket client =
        connect(server.address().orElseThrow(), SocketOptions.defaults().withTimeout(IDLE));
    LinkedBlockingQueue<Long> fired = timeouts(client);
    EventRecorder events = EventRecorder.record(client);
    events.await("timeout", WAIT);
    assertThat(poll(fired) - started).isGreaterThanOrEqualTo(IDLE.toNanos() - SLACK_NANOS);
    assertThat(events.events()).containsExactly("connect", "ready", "timeout");
  }

  private static LinkedBlockingQueue<Long> timeouts(Socket socket) {
    LinkedBlockingQueue<Long> fired = new LinkedBlockingQueue<>();
    socket.onTimeout(() -> fired.add(System.nanoTime()));
    return fired;
  }

  private static long poll(LinkedBlockingQueue<Long> queue) {
    try {
      Long t = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(t).as("an event within " + WAIT).isNotNull();
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
