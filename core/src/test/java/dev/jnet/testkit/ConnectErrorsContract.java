package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.ReadyState;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connect failures beyond a refused connect (which {@link ConnectContract} covers): a connect that
 * gets no answer times out with {@code ETIMEDOUT} after {@code connectTimeout}.
 */
public abstract class ConnectErrorsContract extends ContractSupport {
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
  private static final int MAX_FILLERS = 64;

  @Test
  @RequiresCapability(Capability.CONNECT_TIMEOUT)
  void connectToAListenerWhoseBacklogIsFullTimesOutWithEtimedout() throws Exception {
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint(), 1));
    fillBacklog(foreign.endpoint());

    long started = System.nanoTime();
    Socket client =
        connect(foreign.endpoint(), SocketOptions.defaults().withConnectTimeout(CONNECT_TIMEOUT));
    EventRecorder events = EventRecorder.record(client);
    assertThat(client.readyState())
        .as("while the connect is pending")
        .isEqualTo(ReadyState.OPENING);
    events.awaitClose().assertSequence("error:ETIMEDOUT", "close:true");
    long elapsed = System.nanoTime() - started;

    assertThat(elapsed)
        .as("nanos until ETIMEDOUT")
        .isGreaterThanOrEqualTo(CONNECT_TIMEOUT.toNanos() - TimeUnit.MILLISECONDS.toNanos(25));
    assertThat(events.error().code()).isEqualTo(ErrorCode.ETIMEDOUT);
    assertThat(events.error().syscall()).contains("connect");
    assertThat(events.error().getMessage()).startsWith("connect ETIMEDOUT");
    assertThat(client.readyState()).isEqualTo(ReadyState.CLOSED);
  }

  /**
   * Connects plain JDK clients until one stays pending: the listener's accept queue is then full.
   */
  private void fillBacklog(dev.jnet.Endpoint endpoint) throws Exception {
    for (int i = 0; i < MAX_FILLERS; i++) {
      ForeignConnection c = closeLater(fixture().foreign().startConnect(endpoint));
      if (!c.finishConnect(Duration.ofMillis(200))) {
        return;
      }
    }
    throw new AssertionError(
        "a backlog-1 listener accepted " + MAX_FILLERS + " connects without accept()");
  }
}
