package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The wildcard a listener names is the family it serves, as in Node: {@code tcp://0.0.0.0:PORT} is
 * IPv4 only, {@code tcp://[::]:PORT} takes both families. (Both engines used to open an IPv6 socket
 * for every bind, so {@code 0.0.0.0} was served as {@code [::]}, to IPv6 clients too.)
 */
class TcpBindFamilyTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  private Server listenOn(String endpoint) {
    Server server = createServer(ServerOptions.defaults(), s -> s.end("hi"));
    await(server.listen(Endpoint.parse(endpoint)));
    return server;
  }

  private EventRecorder connectTo(String host, int port) {
    return EventRecorder.record(connect(new Endpoint.Tcp(host, port), SocketOptions.defaults()));
  }

  @Test
  void theIpv4WildcardServesIpv4Only() {
    assumeIpv6Loopback();
    Server server = listenOn("tcp://0.0.0.0:0");
    Endpoint.Tcp at = (Endpoint.Tcp) server.address().orElseThrow();
    assertThat(at.host()).isEqualTo("0.0.0.0");
    connectTo("127.0.0.1", at.port())
        .awaitClose()
        .assertSequence("connect", "ready", "data", "end", "close:false");
    connectTo("::1", at.port()).awaitClose().assertSequence("error:ECONNREFUSED", "close:true");
  }

  @Test
  void theIpv6WildcardServesBothFamilies() {
    assumeIpv6Loopback();
    Server server = listenOn("tcp://[::]:0");
    Endpoint.Tcp at = (Endpoint.Tcp) server.address().orElseThrow();
    assertThat(at.host()).isEqualTo("::");
    for (String host : new String[] {"127.0.0.1", "::1"}) {
      connectTo(host, at.port())
          .awaitClose()
          .assertSequence("connect", "ready", "data", "end", "close:false");
    }
  }

  private static void assumeIpv6Loopback() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
    } catch (IOException e) {
      assumeTrue(false, "no IPv6 loopback here: " + e);
    }
  }
}
