package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.StreamPump;
import dev.jnet.testkit.TransportFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which path {@code pipe()} takes between two TCP sockets, seen from outside: under epoll the
 * kernel splices through a pipe of the destination's (a {@code pipe:} descriptor appears in {@code
 * /proc/self/fd}); under NIO the bytes are copied and no pipe appears. What the pipe promises on
 * either path is {@code TcpKitTest$Pipe}'s.
 */
class TcpSpliceTest extends ContractSupport {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @Test
  void aRelayToAStalledSinkHoldsAKernelPipeUnderEpollAndNoneUnderNio() throws Exception {
    long before = pipes();
    CompletableFuture<Socket> sinkSide = new CompletableFuture<>();
    Server sink =
        listen(
            ServerOptions.defaults(),
            s -> {
              s.pause();
              sinkSide.complete(s);
            });
    CompletableFuture<Socket> relayed = new CompletableFuture<>();
    Server relay =
        listen(
            ServerOptions.defaults().withAllowHalfOpen(true),
            in -> {
              Socket out = connect(sink.address().orElseThrow(), SocketOptions.defaults());
              in.pipe(out);
              relayed.complete(in);
            });
    Socket client = connect(relay.address().orElseThrow(), SocketOptions.defaults());
    StreamPump.start(client, 64L << 20, 7, false);
    await(sinkSide);
    Socket in = await(relayed);

    long deadline = System.nanoTime() + WAIT.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline && in.bytesRead() != last) { // until the relay stalls
      last = in.bytesRead();
      TimeUnit.MILLISECONDS.sleep(300);
    }
    if (Net.engine().equals("epoll")) {
      assertThat(pipes()).as("pipe descriptors while spliced").isGreaterThanOrEqualTo(before + 2);
    } else {
      assertThat(pipes()).as("pipe descriptors while copied").isEqualTo(before);
    }
  }

  private static long pipes() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(TcpSpliceTest::isPipe).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isPipe(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
    } catch (IOException e) {
      return false; // closed since the listing
    }
  }
}
