package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import org.junit.jupiter.api.Test;

/**
 * TCP listeners set SO_REUSEADDR, as Node's do: a port whose last connection sits in TIME_WAIT can
 * be reused.
 */
class TcpRelistenTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @Test
  void aServerCanListenAgainOnItsPortWhileAClosedConnectionIsInTimeWait() {
    Server server =
        listen(ServerOptions.defaults(), Socket::destroy); // the server closes first: TIME_WAIT
    var address = server.address().orElseThrow();
    Socket client = connect(address, SocketOptions.defaults());
    EventRecorder.record(client).awaitClose();
    await(server.close());

    Server again = Net.createServer(s -> {});
    await(again.listen(address));
    assertThat(again.address()).contains(address);
    await(again.close());
  }
}
