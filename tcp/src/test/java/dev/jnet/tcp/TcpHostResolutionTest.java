package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import org.junit.jupiter.api.Test;

/**
 * Host names are TCP's alone: an unresolvable one fails as Node's {@code getaddrinfo ENOTFOUND
 * host}.
 */
class TcpHostResolutionTest extends ContractSupport {
  private static final String NO_SUCH_HOST = "no-such-host.invalid";

  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @Test
  void anUnresolvableHostFailsWithEnotfoundFromGetaddrinfo() {
    Socket client = connect(new Endpoint.Tcp(NO_SUCH_HOST, 80), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.awaitClose().assertSequence("error:ENOTFOUND", "close:true");
    NetException e = events.error();
    assertThat(e.code()).isEqualTo(ErrorCode.ENOTFOUND);
    assertThat(e.syscall()).contains("getaddrinfo");
    assertThat(e.getMessage()).isEqualTo("getaddrinfo ENOTFOUND " + NO_SUCH_HOST);
    assertThat(e.endpoint()).contains(NO_SUCH_HOST);
  }

  @Test
  void localhostResolvesAndConnects() {
    var server = listen(dev.jnet.ServerOptions.defaults(), s -> s.end("hi"));
    int port = ((Endpoint.Tcp) server.address().orElseThrow()).port();
    Socket client = connect(new Endpoint.Tcp("localhost", port), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
  }
}
