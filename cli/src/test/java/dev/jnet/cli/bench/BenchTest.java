package dev.jnet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Bench} against servers that make its connects fail for a while. */
class BenchTest {
  @TempDir Path dir;

  @Test
  void aMeasuredPhaseWaitsOutAFullAcceptQueueInsteadOfEndingTheRun() throws Exception {
    // what a connect loop leaves behind on a Unix server: an accept queue still full when the next
    // phase connects, which then fails with EAGAIN until the server drains it
    Path path = dir.resolve("slow.sock");
    List<SocketChannel> queued = new ArrayList<>();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path), 1);
      while (queued.size() < 16) {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.configureBlocking(false);
        try {
          c.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException full) {
          c.close();
          break; // EAGAIN: the queue is full now
        }
        queued.add(c);
      }
      assertThat(queued.size()).as("connections the accept queue holds").isLessThan(16);
      Thread drainer = new Thread(() -> drainLaterAndEcho(server), "slow-server");
      drainer.setDaemon(true);
      drainer.start();

      Map<String, Object> m =
          new Bench(new Endpoint.Unix(path.toString(), false), null)
              .throughput(Duration.ofMillis(200), 4096);

      assertThat((Long) m.get("bytes")).as("bytes echoed once the server drained").isPositive();
    } finally {
      for (SocketChannel c : queued) {
        c.close();
      }
    }
  }

  /** A slow server: accepts nothing for 300 ms, then everything, and echoes each connection. */
  private static void drainLaterAndEcho(ServerSocketChannel server) {
    try {
      Thread.sleep(300); // the slowness under test: the queue stays full meanwhile
      while (true) {
        SocketChannel c = server.accept();
        Thread echo =
            new Thread(
                () -> {
                  ByteBuffer b = ByteBuffer.allocate(65536);
                  try (c) {
                    while (c.read(b.clear()) >= 0) {
                      b.flip();
                      while (b.hasRemaining()) {
                        c.write(b);
                      }
                    }
                  } catch (IOException e) {
                    // the bench closed it
                  }
                });
        echo.setDaemon(true);
        echo.start();
      }
    } catch (IOException | InterruptedException e) {
      // the test is over
    }
  }
}
