package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ReadyState;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code socket.pipe(destination)} between two sockets of the transport, as {@code jnet relay} runs
 * it: a client writes to a relay, whose accepted socket is piped to a connection to a sink. The
 * hostile cases come first: a sink that never reads, a client that resets mid-pipe, a sink that
 * half-closes at once, an idle source; then a large transfer checked with SHA-256 and the byte
 * counts of both relay sockets. Whatever the engine moves the bytes with (copies, or the kernel's
 * {@code splice}), these hold.
 */
public abstract class PipeContract extends ContractSupport {
  private static final Duration LONG = Duration.ofMinutes(3);

  /** The two sockets of one relayed connection: the accepted one and the one to the sink. */
  protected record Leg(Socket in, Socket out) {}

  /**
   * Starts a relay to {@code sink}: each accepted socket is piped to a new connection to it.
   *
   * @param sink where the relay connects
   * @param legs receives each relayed connection once piped
   * @param onAccept runs on the accepted socket before it is piped (register listeners here)
   * @return the listening relay
   */
  protected Server relay(Server sink, CompletableFuture<Leg> legs, Consumer<Socket> onAccept) {
    return listen(
        ServerOptions.defaults().withAllowHalfOpen(true),
        in -> {
          onAccept.accept(in);
          Socket out =
              connect(
                  sink.address().orElseThrow(), SocketOptions.defaults().withAllowHalfOpen(true));
          in.pipe(out);
          legs.complete(new Leg(in, out));
        });
  }

  private Socket client(Server relay) {
    Socket c = connect(relay.address().orElseThrow(), SocketOptions.defaults());
    await(c.connected());
    return c;
  }

  @Test
  void aLargeStreamCrossesAPipeByteExactAndIsCountedOnBothSockets() {
    // 256 MiB in every verify, 1 GiB under -Pstress (jnet.stress.scale=4)
    long size = Long.getLong("jnet.pipe.bytes", (256L << 20) * StressConfig.SCALE);
    HashingSink sink = new HashingSink();
    Server sinkServer = listen(ServerOptions.defaults(), sink::attach);
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    Server relay = relay(sinkServer, legs, s -> {});
    StreamPump pump = StreamPump.start(client(relay), size, 1, true);

    HashingSink.Result got = awaitLong(sink.result());
    assertThat(got.bytes()).as("bytes at the sink").isEqualTo(size);
    assertThat(got.sha256()).as("SHA-256 at the sink").isEqualTo(awaitLong(pump.sha256()));
    Leg leg = await(legs);
    await(leg.out().closed());
    assertThat(leg.in().bytesRead()).as("relay in.bytesRead").isEqualTo(size);
    assertThat(leg.out().bytesWritten()).as("relay out.bytesWritten").isEqualTo(size);
  }

  @Test
  void aSinkThatNeverReadsHoldsTheRelayToBoundedMemoryAndLosesNothing() throws Exception {
    long offered = 256L << 20;
    HashingSink sink = new HashingSink();
    CompletableFuture<Socket> sinkSide = new CompletableFuture<>();
    Server sinkServer = pausedSink(sink, sinkSide);
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    Server relay = relay(sinkServer, legs, s -> {});
    StreamPump pump = StreamPump.start(client(relay), offered, 2, true);
    Leg leg = await(legs);

    long held = awaitQuiet(leg.in());
    assertThat(held).as("bytes the relay read while its sink never read").isLessThan(offered / 4);
    assertThat(leg.out().bufferSize())
        .as("bytes the relay buffered for the stalled sink")
        .isLessThanOrEqualTo(SocketOptions.defaults().highWaterMark() + (4 << 20));
    assertThat(pump.sha256()).as("the client is held back").isNotDone();

    await(sinkSide).resume();
    HashingSink.Result got = awaitLong(sink.result());
    assertThat(got.bytes()).isEqualTo(offered);
    assertThat(got.sha256()).isEqualTo(awaitLong(pump.sha256()));
  }

  @Test
  void aSourcePausedMidPipeStopsReadingAndResumedDeliversEverything() throws Exception {
    long size = 256L << 20;
    HashingSink sink = new HashingSink();
    Server sinkServer = listen(ServerOptions.defaults(), sink::attach);
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    Server relay = relay(sinkServer, legs, s -> {});
    StreamPump pump = StreamPump.start(client(relay), size, 8, true);
    Leg leg = await(legs);
    sink.awaitAtLeast(1 << 20, WAIT);
    leg.in().pause();

    long held = awaitQuiet(leg.in());
    assertThat(held).as("bytes read before the pause held").isLessThan(size);
    leg.in().resume();
    HashingSink.Result got = awaitLong(sink.result());
    assertThat(got.bytes()).isEqualTo(size);
    assertThat(got.sha256()).isEqualTo(awaitLong(pump.sha256()));
  }

  @Test
  @RequiresCapability(Capability.RESET)
  void aClientResetMidPipeIsAnErrorOnTheSourceAndDoesNotEndTheDestination() {
    HashingSink sink = new HashingSink();
    Server sinkServer = listen(ServerOptions.defaults(), sink::attach);
    CompletableFuture<NetException> sourceError = new CompletableFuture<>();
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    CompletableFuture<ReadyState> outWhenInClosed = new CompletableFuture<>();
    Server relay =
        relay(
            sinkServer,
            legs,
            in -> {
              in.onError(sourceError::complete);
              in.onClose(
                  hadError -> legs.thenAccept(l -> outWhenInClosed.complete(l.out().readyState())));
            });
    Socket c = client(relay);
    StreamPump.start(c, 64L << 20, 3, false);
    sink.awaitAtLeast(1 << 20, WAIT);
    c.resetAndDestroy();

    assertThat(await(sourceError).code()).isEqualTo(ErrorCode.ECONNRESET);
    assertThat(await(outWhenInClosed))
        .as("an error on the source does not end the destination (Node's pipe)")
        .isEqualTo(ReadyState.OPEN);
    assertThat(sink.result()).as("the sink saw no end").isNotDone();
  }

  @Test
  @RequiresCapability(Capability.RESET)
  void aSinkResetMidPipeIsAnErrorOnTheDestination() {
    HashingSink sink = new HashingSink();
    CompletableFuture<Socket> sinkSide = new CompletableFuture<>();
    Server sinkServer =
        listen(
            ServerOptions.defaults(),
            s -> {
              sink.attach(s);
              sinkSide.complete(s);
            });
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    Server relay = relay(sinkServer, legs, s -> {});
    StreamPump.start(client(relay), 256L << 20, 6, false);
    Leg leg = await(legs);
    CompletableFuture<NetException> destinationError = new CompletableFuture<>();
    leg.out().onError(destinationError::complete);
    sink.awaitAtLeast(1 << 20, WAIT);
    await(sinkSide).resetAndDestroy();

    assertThat(await(destinationError).code())
        .as("the relay's connection to the reset sink")
        .isIn(ErrorCode.ECONNRESET, ErrorCode.EPIPE);
    await(leg.out().closed());
  }

  @Test
  @RequiresCapability(Capability.HALF_CLOSE)
  void aSinkThatHalfClosesAtOnceStillReceivesEveryByteAndTheEnd() {
    long size = 32L << 20;
    HashingSink sink = new HashingSink();
    Server sinkServer =
        listen(
            ServerOptions.defaults().withAllowHalfOpen(true),
            s -> {
              sink.attach(s);
              s.end();
            });
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    Server relay = relay(sinkServer, legs, s -> {});
    StreamPump pump = StreamPump.start(client(relay), size, 4, true);

    HashingSink.Result got = awaitLong(sink.result());
    assertThat(got.bytes()).isEqualTo(size);
    assertThat(got.sha256()).isEqualTo(awaitLong(pump.sha256()));
    assertThat(await(legs).out().bytesWritten()).isEqualTo(size);
  }

  @Test
  void theSourcesIdleTimeoutFiresOnceTheClientGoesQuietAfterEverythingWasPiped() {
    long size = 16L << 20;
    HashingSink sink = new HashingSink();
    Server sinkServer = listen(ServerOptions.defaults(), sink::attach);
    CompletableFuture<Long> sinkBytesAtTimeout = new CompletableFuture<>();
    CompletableFuture<Leg> legs = new CompletableFuture<>();
    Server relay =
        relay(
            sinkServer,
            legs,
            in -> {
              in.setTimeout(Duration.ofMillis(300));
              in.onTimeout(() -> sinkBytesAtTimeout.complete(in.bytesRead()));
            });
    StreamPump pump = StreamPump.start(client(relay), size, 5, false);
    awaitLong(pump.sha256());

    assertThat(await(sinkBytesAtTimeout))
        .as("the relay had read everything when it first went idle")
        .isEqualTo(size);
    sink.awaitAtLeast(size, WAIT);
    assertThat(await(legs).out().bytesWritten()).isEqualTo(size);
  }

  /** Waits until {@code in} read nothing for half a second (bounded), and returns its count. */
  private static long awaitQuiet(Socket in) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos() * 3;
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = in.bytesRead();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("the relay kept reading from a client whose sink never reads");
  }

  private static <T> T awaitLong(CompletableFuture<T> f) {
    try {
      return f.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete within " + LONG + ": " + e, e);
    }
  }
}
