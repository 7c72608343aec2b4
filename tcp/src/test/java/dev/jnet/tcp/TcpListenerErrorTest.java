package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} thrown by a listener is never swallowed: it destroys that connection with an
 * error event ({@code ENOMEM} for {@link OutOfMemoryError}, else {@code ERR_UNHANDLED_ERROR}), and
 * the server serves on.
 */
class TcpListenerErrorTest extends ContractSupport {

  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @Test
  void anOutOfMemoryErrorInADataListenerDestroysThatSocketWithEnomemAndTheServerServesOn() {
    CompletableFuture<NetException> failed = new CompletableFuture<>();
    AtomicInteger connections = new AtomicInteger();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              boolean first = connections.incrementAndGet() == 1;
              s.onError(failed::complete);
              s.onData(
                  b -> {
                    if (first) {
                      throw new OutOfMemoryError("simulated");
                    }
                    s.end(b);
                  });
            });
    Socket victim = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder victimEvents = EventRecorder.record(victim);
    victim.write("x");

    assertThat(await(failed).code()).isEqualTo(ErrorCode.ENOMEM);
    victimEvents.awaitClose();
    assertEchoes(server);
  }

  @Test
  void anErrorThrownByTheConnectionListenerDestroysThatSocketAndTheServerServesOn() {
    AtomicInteger connections = new AtomicInteger();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              if (connections.incrementAndGet() == 1) {
                throw new StackOverflowError("simulated");
              }
              s.onData(s::end);
            });
    Socket victim = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder victimEvents = EventRecorder.record(victim);

    victimEvents.awaitClose();
    assertThat(victimEvents.data()).isEmpty();
    assertEchoes(server);
  }

  private void assertEchoes(Server server) {
    Socket other = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(other);
    other.write("still serving");
    events.awaitClose();
    assertThat(new String(events.data(), StandardCharsets.UTF_8)).isEqualTo("still serving");
  }
}
