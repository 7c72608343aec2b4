package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * {@code SocketOptions.withPeerUid} on TCP, which has no peer credentials: a clear error, never
 * ignored.
 */
class TcpPeerUidTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @Test
  void aRequiredPeerUidFailsWithEnotsupBeforeAnyConnectionIsAttempted() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server = listen(ServerOptions.defaults(), accepted);
    Socket client =
        connect(server.address().orElseThrow(), SocketOptions.defaults().withPeerUid(0));
    client.write("secret");
    EventRecorder events = EventRecorder.record(client).awaitClose();
    events.assertSequence("error:ENOTSUP", "close:true");
    assertThat(events.error().code()).isEqualTo(ErrorCode.ENOTSUP);
    assertThat(events.error().getMessage()).contains("peerUid").contains("tcp:");
    assertThat(accepted).as("no connection was attempted").isEmpty();
  }
}
