package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.testkit.EventRecorder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Core alone has no transport on its class path: every scheme fails with {@code ERR_NO_TRANSPORT}.
 */
class NoTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void connectWithoutATransportGivesErrNoTransportThenCloseTrue() {
    Socket client = Net.createConnection(Endpoint.parse("unix:/tmp/jnet-no-transport.sock"));
    EventRecorder events = EventRecorder.record(client);
    events.awaitClose().assertSequence("error:ERR_NO_TRANSPORT", "close:true");
    assertThat(events.error().getMessage())
        .startsWith("ERR_NO_TRANSPORT: no transport for unix:/tmp/jnet-no-transport.sock")
        .contains("dev.jnet:jnet-ipc");
  }

  @Test
  void listenWithoutATransportFailsAndEmitsTheError() throws Exception {
    Server server = Net.createServer(s -> {});
    CompletableFuture<NetException> error = new CompletableFuture<>();
    server.onError(error::complete);
    CompletableFuture<Server> listening =
        server.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture();

    assertThat(listening)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(NetException.class);
    assertThat(error.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).code())
        .isEqualTo(ErrorCode.ERR_NO_TRANSPORT);
    assertThat(server.isListening()).isFalse();
  }
}
