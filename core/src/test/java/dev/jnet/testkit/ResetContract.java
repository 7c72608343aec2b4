package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnet.ErrorCode;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Resets (rule 9): the side that receives a reset gets {@code error(ECONNRESET)} then {@code
 * close(true)} and no {@code end}; the side that resets closes without error.
 */
@RequiresCapability(Capability.RESET)
public abstract class ResetContract extends ContractSupport {

  @Test
  void foreignResetGivesEconnresetThenCloseTrueWithoutEnd() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    ForeignConnection peer = fixture().foreign().connect(server.address().orElseThrow());
    peer.write(new byte[] {1, 2, 3});
    Accepted jnet = take(accepted);
    jnet.events().awaitBytes(3, WAIT);
    peer.reset();

    jnet.events().awaitClose().assertSequence("data", "error:ECONNRESET", "close:true");
    assertThat(jnet.events().error().syscall()).contains("read");
    assertThat(jnet.events().error().getMessage()).startsWith("read ECONNRESET");
  }

  @Test
  void jnetResetAndDestroyGivesThePeerEconnresetAndUsCloseFalse() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    Accepted peer = take(accepted);
    client.resetAndDestroy();

    events.awaitClose().assertSequence("connect", "ready", "close:false");
    peer.events().awaitClose().assertSequence("error:ECONNRESET", "close:true");
    events.assertNothingMoreWithin(Duration.ofMillis(50));
  }

  @Test
  void foreignServerResetReachesAJnetClientAsEconnreset() throws Exception {
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint()));
    Socket client = connect(foreign.endpoint(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    ForeignConnection peer = foreign.accept(WAIT);
    events.await("ready", WAIT); // the recorder saw connect and ready, not just the future
    peer.reset();
    events.awaitClose().assertSequence("connect", "ready", "error:ECONNRESET", "close:true");
    assertThat(events.error().code()).isEqualTo(ErrorCode.ECONNRESET);
  }

  @Test
  void jnetServerResetReachesAForeignClientAsConnectionReset() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    Accepted jnet = take(accepted);
    jnet.socket().resetAndDestroy();
    jnet.events().awaitClose().assertSequence("close:false");
    assertThatThrownBy(() -> peer.readToEof(WAIT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("reset");
  }
}
