package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.ReadyState;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.HashingSink;
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

    awaitStall(in);
    if (Net.engine().equals("epoll")) {
      assertThat(pipes()).as("pipe descriptors while spliced").isGreaterThanOrEqualTo(before + 2);
    } else {
      assertThat(pipes()).as("pipe descriptors while copied").isEqualTo(before);
    }
  }

  /**
   * A client that resets while the relay waits for its next bytes: under epoll the relay's pending
   * {@code splice(2)} is what wakes up, and it takes the socket's error, so that a read after it
   * sees only an end. The reset must reach the source as {@code ECONNRESET}, never as an end that
   * the pipe would pass on to the destination as a complete stream. (Before the splice's own
   * failure was reported as the source's, this was an end; the kit's reset-mid-pipe case caught it
   * in one CI run.)
   */
  @Test
  void aClientResetWhileTheRelayWaitsForBytesIsAnErrorOnTheSourceNeverAnEnd() throws Exception {
    CompletableFuture<Long> sinkGot = new CompletableFuture<>();
    long[] received = {0};
    Server sink =
        listen(
            ServerOptions.defaults(),
            s ->
                s.onData(
                    b -> {
                      received[0] += b.remaining();
                      if (received[0] >= 1 << 20) {
                        sinkGot.complete(received[0]);
                      }
                    }));
    CompletableFuture<Socket> outbound = new CompletableFuture<>();
    CompletableFuture<NetException> sourceError = new CompletableFuture<>();
    CompletableFuture<Boolean> sourceEnded = new CompletableFuture<>();
    Server relay =
        listen(
            ServerOptions.defaults(),
            in -> {
              in.onError(sourceError::complete);
              in.onEnd(() -> sourceEnded.complete(true));
              Socket out = connect(sink.address().orElseThrow(), SocketOptions.defaults());
              in.pipe(out);
              outbound.complete(out);
            });
    Socket client = connect(relay.address().orElseThrow(), SocketOptions.defaults());
    client.write(new byte[1 << 20]);
    await(sinkGot); // everything went through: the relay now waits for more
    client.resetAndDestroy();

    assertThat(await(sourceError).code()).isEqualTo(ErrorCode.ECONNRESET);
    assertThat(sourceEnded).as("the reset was no end").isNotDone();
    assertThat(await(outbound).readyState())
        .as("the destination was not ended")
        .isEqualTo(ReadyState.OPEN);
  }

  /**
   * The client ends right after its last byte while its relay is stalled on a sink that does not
   * read; resumed, the sink gets every byte and then the end. (Whether the end reaches the relay's
   * socket while unread bytes are still in it, the case the splice's end-of-stream path reads the
   * rest for, depends on the kernel's buffer sizes; the test does not force it.)
   */
  @Test
  void anEndThatArrivesWhileTheRelayIsStalledComesAfterEveryByte() throws Exception {
    HashingSink sink = new HashingSink();
    CompletableFuture<Socket> sinkSide = new CompletableFuture<>();
    Server sinkServer = pausedSink(sink, sinkSide);
    CompletableFuture<Socket> relayed = new CompletableFuture<>();
    Server relay =
        listen(
            ServerOptions.defaults(),
            in -> {
              Socket out = connect(sinkServer.address().orElseThrow(), SocketOptions.defaults());
              in.pipe(out);
              relayed.complete(in);
            });
    long size = 48L << 20;
    Socket client = connect(relay.address().orElseThrow(), SocketOptions.defaults());
    StreamPump pump = StreamPump.start(client, size, 11, true);
    Socket paused = await(sinkSide);
    Socket in = await(relayed);
    awaitStall(in);
    assertThat(in.bytesRead()).as("the relay stalled before the last byte").isLessThan(size);
    paused.resume();

    HashingSink.Result got = await(sink.result());
    assertThat(got.bytes()).isEqualTo(size);
    assertThat(got.sha256()).isEqualTo(await(pump.sha256()));
  }

  /** Waits, within the test's bound, until the relay's socket reads no more (its sink is full). */
  private static void awaitStall(Socket in) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline && in.bytesRead() != last) {
      last = in.bytesRead();
      TimeUnit.MILLISECONDS.sleep(300);
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
