package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * TCP-only behaviour: IPv6 literals, and keep-alive reaching the kernel (seen through {@code ss}).
 */
class TcpOptionsTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @Test
  void anIpv6LoopbackListenerEchoesAndReportsItsBracketedAddress() {
    var server = createServer(ServerOptions.defaults(), s -> s.pipe(s));
    await(server.listen(Endpoint.parse("tcp://[::1]:0")));
    Endpoint where = server.address().orElseThrow();
    assertThat(where.toString()).startsWith("tcp://[::1]:");
    Socket client = connect(where, SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.end("over IPv6");
    events.awaitClose();
    assertThat(new String(events.data(), StandardCharsets.UTF_8)).isEqualTo("over IPv6");
    assertThat(client.remoteAddress()).contains(where);
  }

  @Test
  void keepAliveWithAnInitialDelayArmsTheKernelsKeepaliveTimer() throws Exception {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    var server = listen(ServerOptions.defaults(), accepted);
    Socket client =
        connect(
            server.address().orElseThrow(),
            SocketOptions.defaults().withKeepAlive(true, Duration.ofSeconds(77)).withNoDelay(true));
    EventRecorder events = EventRecorder.record(client);
    events.await("ready", WAIT);
    take(accepted);
    int port = ((Endpoint.Tcp) client.localAddress().orElseThrow()).port();
    Process ss =
        new ProcessBuilder("ss", "-tno", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor()).isZero();
    assertThat(out)
        .as("ss -tno for our socket")
        .containsPattern("timer:\\(keepalive,1min1[0-7]sec");
  }
}
