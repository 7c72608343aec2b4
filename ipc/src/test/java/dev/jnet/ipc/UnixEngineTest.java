package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Under the io_uring engine, {@code unix:} sockets run on the epoll loops beside it (Netty's
 * io_uring Unix server channel cannot take the socket {@code SafeBind} bound), and keep epoll's
 * capabilities: peer credentials included.
 */
class UnixEngineTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }

  @Test
  void underIoUringUnixSocketsRunOnTheEpollLoopsWithPeerCredentials() {
    assumeTrue(
        System.getProperty("jnet.transport", "").equals("io_uring"),
        "only under -Djnet.transport=io_uring");
    assertThat(IoEngine.current().kind()).isEqualTo(IoEngine.Kind.IO_URING);
    LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              threads.add(
                  Thread.currentThread().getName()
                      + " uid="
                      + s.peerCredentials().orElseThrow().uid());
              s.end();
            });
    EventRecorder client =
        EventRecorder.record(connect(server.address().orElseThrow(), SocketOptions.defaults()));
    client.awaitClose().assertSequence("connect", "ready", "end", "close:false");
    assertThat(take(threads)).startsWith("jnet-io-epoll-").contains(" uid=");
  }
}
