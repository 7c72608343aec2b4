package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.SocketOptions;
import dev.jnet.spi.IoEngine;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The engine {@code -Djnet.transport} asks for is the one that runs (each surefire execution asks
 * for its own), and under io_uring a TCP socket's events come from an io_uring loop, except a
 * listener's on the IPv4 wildcard, which runs on the epoll loops beside it.
 */
class TcpEngineTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  private static String wanted() {
    return System.getProperty("jnet.transport", "");
  }

  @Test
  void theEngineIsTheOneAskedFor() {
    IoEngine.Kind expected =
        switch (wanted()) {
          case "nio" -> IoEngine.Kind.NIO;
          case "io_uring" -> IoEngine.Kind.IO_URING;
          default -> IoEngine.Kind.EPOLL;
        };
    assertThat(IoEngine.current().kind()).isEqualTo(expected);
    assertThat(IoEngine.current().name()).isEqualTo(expected.engineName());
  }

  @Test
  void underIoUringALoopbackListenerRunsOnIoUringAndTheIpv4WildcardOnEpoll() {
    assumeTrue(wanted().equals("io_uring"), "only under -Djnet.transport=io_uring");
    assertThat(acceptingThread("tcp://127.0.0.1:0")).startsWith("jnet-io-").doesNotContain("epoll");
    assertThat(acceptingThread("tcp://0.0.0.0:0")).startsWith("jnet-io-epoll-");
  }

  private String acceptingThread(String endpoint) {
    LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
    Server server =
        createServer(
            ServerOptions.defaults(),
            s -> {
              threads.add(Thread.currentThread().getName());
              s.end();
            });
    await(server.listen(Endpoint.parse(endpoint)));
    int port = ((Endpoint.Tcp) server.address().orElseThrow()).port();
    EventRecorder.record(connect(new Endpoint.Tcp("127.0.0.1", port), SocketOptions.defaults()))
        .awaitClose();
    return take(threads);
  }
}
