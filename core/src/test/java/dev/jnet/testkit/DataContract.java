package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Data integrity: 4 MiB of seeded random bytes in random chunk sizes, both directions, flowing and
 * paused, between jnet and jnet and between jnet and the plain-JDK peer; {@code bytesRead}/{@code
 * bytesWritten} add up.
 */
public abstract class DataContract extends ContractSupport {
  private static final int SIZE = 4 << 20;
  private static final Duration TRANSFER = Duration.ofSeconds(30);

  @Test
  void bothDirectionsArriveIntactBetweenJnetPeers() {
    Payload up = Payload.random(SIZE);
    Payload down = Payload.random(SIZE);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              WritePump.start(s, down);
            });
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder clientEvents = EventRecorder.record(client);
    WritePump.start(client, up);
    Accepted peer = take(accepted);

    peer.events().awaitBytes(SIZE, TRANSFER);
    clientEvents.awaitBytes(SIZE, TRANSFER);
    assertIntact(peer.events().data(), up);
    assertIntact(clientEvents.data(), down);

    client.end();
    clientEvents
        .awaitClose()
        .assertSequenceIgnoringDrain("connect", "ready", "data", "end", "close:false");
    peer.events().awaitClose().assertSequenceIgnoringDrain("data", "end", "close:false");
    assertCounters(client, peer.socket());
  }

  @Test
  public void pausedServerSocketReceivesEverythingAfterResume() {
    Payload up = Payload.random(SIZE);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withPauseOnConnect(true), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    WritePump pump = WritePump.start(client, up);
    Accepted peer = take(accepted);

    await(pump.stalledOrDone());
    assertThat(peer.events().events()).as("no data while paused").doesNotContain("data");
    assertThat(peer.socket().bytesRead()).as("nothing read while paused (pauseOnConnect)").isZero();
    peer.socket().resume();

    peer.events().awaitBytes(SIZE, TRANSFER);
    assertIntact(peer.events().data(), up);
    await(pump.done());
    assertThat(peer.socket().bytesRead()).isEqualTo(client.bytesWritten()).isEqualTo(SIZE);
  }

  @Test
  void pausedClientReceivesEverythingAfterResume() {
    Payload down = Payload.random(SIZE);
    LinkedBlockingQueue<WritePump> pumps = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), s -> pumps.add(WritePump.start(s, down)));
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    client.pause();
    EventRecorder events = EventRecorder.record(client);
    WritePump pump = poll(pumps);

    await(pump.stalledOrDone());
    assertThat(events.events()).as("no data while paused").doesNotContain("data");
    client.resume();

    events.awaitBytes(SIZE, TRANSFER);
    assertIntact(events.data(), down);
    assertThat(client.bytesRead()).isEqualTo(SIZE);
  }

  @Test
  void jnetClientAndForeignServerExchangeIntactData() throws Exception {
    Payload up = Payload.random(SIZE);
    Payload down = Payload.random(SIZE);
    var foreign = closeLater(fixture().foreign().listen(fixture().listenEndpoint()));
    Socket client = connect(foreign.endpoint(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    WritePump.start(client, up);
    ForeignConnection peer = closeLater(foreign.accept(WAIT));

    assertIntact(peer.readExactly(SIZE, TRANSFER), up);
    writeInChunks(peer, down);
    peer.shutdownOutput();
    events
        .awaitClose()
        .assertSequenceIgnoringDrain("connect", "ready", "data", "end", "close:false");
    assertIntact(events.data(), down);
    assertThat(peer.readToEof(WAIT)).as("nothing after the data, then EOF").isEmpty();
    assertThat(client.bytesWritten()).isEqualTo(SIZE);
    assertThat(client.bytesRead()).isEqualTo(SIZE);
  }

  @Test
  void foreignClientAndJnetServerExchangeIntactData() throws Exception {
    Payload up = Payload.random(SIZE);
    Payload down = Payload.random(SIZE);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    Accepted jnet = take(accepted);

    writeInChunks(peer, up);
    jnet.events().awaitBytes(SIZE, TRANSFER);
    assertIntact(jnet.events().data(), up);
    WritePump.start(jnet.socket(), down);
    assertIntact(peer.readExactly(SIZE, TRANSFER), down);
    peer.shutdownOutput();
    assertThat(peer.readToEof(WAIT)).as("the jnet side ends after our end").isEmpty();
    jnet.events().awaitClose().assertSequenceIgnoringDrain("data", "end", "close:false");
    assertThat(jnet.socket().bytesRead()).isEqualTo(SIZE);
    assertThat(jnet.socket().bytesWritten()).isEqualTo(SIZE);
  }

  /**
   * Issue 12, item 3: the reply and the end of a server that writes, then ends, arrive whole and in
   * order.
   */
  @Test
  void aServerThatWritesOneMebibyteThenEndsDeliversEveryByteBeforeEnd() {
    Payload down = Payload.random(1 << 20);
    Server server =
        listen(ServerOptions.defaults(), s -> s.end(java.nio.ByteBuffer.wrap(down.bytes())));
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);

    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertIntact(events.data(), down);
    assertThat(client.bytesRead()).isEqualTo(down.bytes().length);
  }

  /**
   * Issue 12, item 3: a client that ended before the reply came (its EOF reaches the server while
   * the server's reply is still queued) gets every byte; under NIO a Unix server used to close on
   * that EOF and drop the rest.
   */
  @Test
  @RequiresCapability(Capability.HALF_CLOSE)
  void aClientThatEndedAtOnceStillReceivesTheWholeReply() {
    Payload down = Payload.random(1 << 20);
    Server server =
        listen(ServerOptions.defaults(), s -> s.end(java.nio.ByteBuffer.wrap(down.bytes())));
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder events = EventRecorder.record(client);
    client.end(); // as `jnet connect` does when its stdin is at EOF before the reply comes

    events.awaitClose().assertSequence("connect", "ready", "data", "end", "close:false");
    assertIntact(events.data(), down);
  }

  /**
   * The same from a foreign client: its EOF arrives before the jnet server's reply has left;
   * nothing is lost.
   */
  @Test
  @RequiresCapability(Capability.HALF_CLOSE)
  void aForeignClientThatShutsDownAtOnceStillReadsTheWholeReply() throws Exception {
    Payload down = Payload.random(1 << 20);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        listen(
            ServerOptions.defaults(),
            s -> {
              accepted.add(new Accepted(s, EventRecorder.record(s)));
              s.end(java.nio.ByteBuffer.wrap(down.bytes()));
            });
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.address().orElseThrow()));
    peer.shutdownOutput();

    assertIntact(peer.readToEof(TRANSFER), down);
    take(accepted).events().awaitClose().assertSequenceIgnoringDrain("end", "close:false");
  }

  private static void writeInChunks(ForeignConnection peer, Payload payload) throws Exception {
    byte[] data = payload.bytes();
    for (int off = 0; off < data.length; ) {
      int n = Math.min(payload.nextChunk(64 * 1024), data.length - off);
      peer.write(Arrays.copyOfRange(data, off, off + n), TRANSFER);
      off += n;
    }
  }

  private static void assertIntact(byte[] received, Payload sent) {
    assertThat(received.length).as("byte count of " + sent).isEqualTo(sent.bytes().length);
    int mismatch = Arrays.mismatch(received, sent.bytes());
    assertThat(mismatch).as("first differing byte of " + sent).isEqualTo(-1);
  }

  private static void assertCounters(Socket client, Socket server) {
    assertThat(client.bytesWritten()).isEqualTo(SIZE).isEqualTo(server.bytesRead());
    assertThat(server.bytesWritten()).isEqualTo(SIZE).isEqualTo(client.bytesRead());
  }

  private static <T> T poll(LinkedBlockingQueue<T> queue) {
    try {
      T t = queue.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(t).as("arrived within " + WAIT).isNotNull();
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void writesMadeWhileConnectingGoOutBeforeWritesOfTheConnectListener() {
    for (int round = 0; round < 5; round++) {
      LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
      Server server = listen(ServerOptions.defaults(), accepted);
      Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
      // Written while connecting: this write reaches the I/O thread before the listener below is
      // registered, so
      // whatever the timing, it is ordered before the listener's write.
      client.write("before");
      client.onConnect(() -> client.end("after"));
      Accepted peer = take(accepted);

      peer.events().await("end", WAIT);
      assertThat(new String(peer.events().data(), java.nio.charset.StandardCharsets.UTF_8))
          .as("write order, round " + round + " (Node sends 'before' first)")
          .isEqualTo("beforeafter");
      server.close();
    }
  }
}
