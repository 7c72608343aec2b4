package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.IoEngine;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.Payload;
import dev.jnet.testkit.TransportFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the two {@code pipe:} engines promise beyond the conformance kit: the epoll engine starts no
 * thread per connection; under both, a write bigger than a FIFO completes as the reader drains it,
 * reads that empty the FIFO wait for the next write (not EOF), and closing releases every FIFO
 * descriptor. Parameterized tests run under the default engine ({@code auto}: epoll under the epoll
 * I/O engine) and the forced thread engine; under NIO both are the thread engine.
 */
class PipeEngineTest extends ContractSupport {
  private static final int FIFO_CAPACITY = 64 * 1024;

  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }

  @AfterEach
  void defaultEngine() {
    System.clearProperty("jnet.pipe.engine");
  }

  @Test
  void bothIoEnginesRunFifosOnTheirLoopsUnlessThreadsAreForced() {
    IoEngine engine = IoEngine.current();
    FifoEngine expected;
    if (engine.isEpoll()) {
      expected = FifoEngine.EPOLL;
    } else if (engine.kind() == IoEngine.Kind.NIO && SelectableFifo.available()) {
      expected = FifoEngine.SELECTOR;
    } else {
      expected = FifoEngine.THREADS;
    }
    assertThat(FifoEngine.select(engine)).isEqualTo(expected);
    System.setProperty("jnet.pipe.engine", "threads");
    assertThat(FifoEngine.select(engine)).isEqualTo(FifoEngine.THREADS);
  }

  @Test
  void onALoopEngineConnectionsAndServersStartNoThreadOfTheirOwn() {
    assumeTrue(
        FifoEngine.select(IoEngine.current()) != FifoEngine.THREADS,
        "the thread engine runs here: FIFOs cannot be watched by this I/O engine's loops");
    int n = 40;
    long ioBefore = threads("jnet-pipe-io-");
    long allBefore = threads("");
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    for (int i = 0; i < n; i++) {
      Socket c = connect(server.address().orElseThrow(), SocketOptions.defaults());
      EventRecorder client = EventRecorder.record(c).await("connect", WAIT);
      pingBothWays(c, client, take(accepted));
    }

    assertThat(threads("jnet-pipe-io-"))
        .as("FIFO reader and writer threads")
        .isLessThanOrEqualTo(ioBefore);
    // opener threads serve the set-up of one connection after another: a few, however many
    // connections
    assertThat(threads("") - allBefore)
        .as("threads started for " + n + " connections")
        .isLessThan(n / 2);
  }

  @Test
  void theThreadEngineRunsAReaderAndAWriterPerConnectionEnd() {
    System.setProperty("jnet.pipe.engine", "threads");
    int n = 5;
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    for (int i = 0; i < n; i++) {
      Socket c = connect(server.address().orElseThrow(), SocketOptions.defaults());
      EventRecorder client = EventRecorder.record(c).await("connect", WAIT);
      Accepted a = take(accepted);
      pingBothWays(c, client, a); // both ends are moving bytes: their threads run
    }

    assertThat(threads("jnet-pipe-io-"))
        .as("two threads per end, both ends here")
        .isGreaterThanOrEqualTo(4L * n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "threads"})
  void aWriteBiggerThanTheFifoCompletesOnlyAsTheReaderDrainsIt(String engine) {
    System.setProperty("jnet.pipe.engine", engine);
    Payload payload = Payload.random(16 * FIFO_CAPACITY);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withPauseOnConnect(true), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder.record(client).await("connect", WAIT);
    Accepted reader = take(accepted);

    // the reader is paused: the kernel takes one FIFO's worth, then the write waits for EPOLLOUT
    // (or blocks)
    AtomicLong readWhenDone = new AtomicLong(-1);
    CompletableFuture<Optional<NetException>> written = new CompletableFuture<>();
    client.write(
        ByteBuffer.wrap(payload.bytes()),
        error -> {
          readWhenDone.set(reader.socket().bytesRead());
          written.complete(error);
        });
    reader.socket().resume();

    assertThat(await(written)).as("write error").isEmpty();
    // in flight when the write completes: a FIFO's worth in the kernel, and the thread engine's
    // read-ahead chunk
    int inFlight =
        FIFO_CAPACITY
            + (FifoEngine.select(IoEngine.current()) == FifoEngine.THREADS
                ? ThreadFifoIo.READ_SIZE
                : 0);
    assertThat(readWhenDone.get())
        .as("bytes the reader had taken when the write completed")
        .isGreaterThanOrEqualTo(payload.bytes().length - inFlight);
    reader.events().awaitBytes(payload.bytes().length, WAIT);
    assertThat(reader.events().data()).isEqualTo(payload.bytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "threads"})
  void readsThatEmptyTheFifoWaitForTheNextWriteInsteadOfEnding(String engine) {
    System.setProperty("jnet.pipe.engine", engine);
    // sizes around the read buffer's first guess (2 KiB) and a FIFO's capacity: a read that exactly
    // fills its
    // buffer is followed by one that finds the FIFO empty (EAGAIN), which must mean "wait", never
    // EOF
    int[] sizes = {1, 2047, 2048, 2049, 4096, FIFO_CAPACITY, FIFO_CAPACITY + 1, 3};
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client = connect(server.address().orElseThrow(), SocketOptions.defaults());
    EventRecorder.record(client).await("connect", WAIT);
    Accepted reader = take(accepted);

    int last = 1000;
    byte[] all = Payload.random(Arrays.stream(sizes).sum() + last).bytes();
    int sent = 0;
    for (int size : sizes) {
      client.write(ByteBuffer.wrap(all, sent, size));
      sent += size;
      reader.events().awaitBytes(sent, WAIT);
      assertThat(reader.events().events()).as("after " + sent + " bytes").doesNotContain("end");
    }
    client.end(ByteBuffer.wrap(all, sent, last));
    reader.events().await("end", WAIT);
    assertThat(reader.events().data()).isEqualTo(all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "threads"})
  void bytesAndTheWritersCloseReportedTogetherAreBothDelivered(String engine) throws Exception {
    System.setProperty("jnet.pipe.engine", engine);
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withPauseOnConnect(true), accepted);
    Path dir = Path.of(server.address().orElseThrow().address());
    FileChannel[] raw = closeLater(new RawClient(dir)).fifos;
    Accepted reader = take(accepted);

    // while the reader is paused, a few bytes and the writer's close: epoll reports both before any
    // read, the
    // read of the bytes comes back short, and the EOF behind them must still be read
    raw[0].write(ByteBuffer.wrap("last words".getBytes(StandardCharsets.US_ASCII)));
    raw[0].close();
    reader.socket().resume();

    reader.events().await("end", WAIT);
    assertThat(new String(reader.events().data(), StandardCharsets.US_ASCII))
        .isEqualTo("last words");
  }

  @Test
  void aPausedReaderWhosePeerWroteAndLeftDoesNotSpinItsLoop() throws Exception {
    // a selector reports such a read end ready at every select for as long as it watches it: the
    // engine must stop watching while nobody reads
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults().withPauseOnConnect(true), accepted);
    Path dir = Path.of(server.address().orElseThrow().address());
    FileChannel[] raw = closeLater(new RawClient(dir)).fifos;
    Accepted reader = take(accepted);
    raw[0].write(ByteBuffer.wrap("unread".getBytes(StandardCharsets.US_ASCII)));
    raw[0].close();

    long busy = loopCpuNanos(Duration.ofSeconds(1));
    assertThat(busy)
        .as("CPU the loops used in 1 s with a paused end whose peer left (a spinning loop: ~1 s)")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(300));
    reader.socket().resume();
    reader.events().await("end", WAIT);
    assertThat(new String(reader.events().data(), StandardCharsets.US_ASCII)).isEqualTo("unread");
  }

  /** CPU time jnet's event loop threads use over a window. */
  private static long loopCpuNanos(Duration window) throws InterruptedException {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    List<Thread> loops =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("jnet-io"))
            .toList();
    assertThat(loops).as("event loop threads").isNotEmpty();
    long before = loops.stream().mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
    Thread.sleep(window.toMillis()); // the measured window itself: nothing is awaited here
    long after = loops.stream().mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
    return after - before;
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "threads"})
  void closingReleasesEveryFifoDescriptor(String engine) throws IOException {
    System.setProperty("jnet.pipe.engine", engine);
    int n = 5;
    Path dir = PipeFixture.freshDir();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        createServer(
            ServerOptions.defaults(), s -> accepted.add(new Accepted(s, EventRecorder.record(s))));
    await(server.listen(new Endpoint.Pipe(dir.toString())));
    List<EventRecorder> ends = new ArrayList<>();
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Socket c = connect(server.address().orElseThrow(), SocketOptions.defaults());
      ends.add(EventRecorder.record(c).await("connect", WAIT));
      clients.add(c);
      Accepted a = take(accepted);
      ends.add(a.events());
      c.write("ping");
      a.events().awaitBytes(4, WAIT);
    }
    assertThat(descriptorsUnder(dir))
        .as("lock file, well-known FIFO, two FIFO ends per side of each connection")
        .isEqualTo(2 + 4 * n);

    clients.forEach(Socket::destroy);
    ends.forEach(EventRecorder::awaitClose);
    await(server.close());

    assertThat(descriptorsUnder(dir)).as("descriptors left on the pipe's files").isZero();
  }

  /**
   * A client of {@code docs/pipe-protocol.md} with plain blocking FIFOs: {@code fifos} is {up,
   * down}.
   */
  private static final class RawClient implements AutoCloseable {
    final FileChannel[] fifos = new FileChannel[2];

    RawClient(Path dir) throws Exception {
      String id = "raw" + System.nanoTime();
      Path up = dir.resolve(id + ".up");
      Path down = dir.resolve(id + ".down");
      DocumentedPipePeer.mkfifo(up, down);
      try (FileChannel w = FileChannel.open(dir.resolve("pipe"), StandardOpenOption.WRITE)) {
        w.write(ByteBuffer.wrap(("JNETPIPE1 " + id + " 1\n").getBytes(StandardCharsets.US_ASCII)));
      }
      CompletableFuture<FileChannel> in =
          CompletableFuture.supplyAsync(() -> open(down, StandardOpenOption.READ));
      fifos[0] = open(up, StandardOpenOption.WRITE);
      fifos[1] = in.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      Files.delete(up);
      Files.delete(down);
    }

    private static FileChannel open(Path p, StandardOpenOption mode) {
      try {
        return FileChannel.open(p, mode);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      for (FileChannel c : fifos) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  private static void pingBothWays(Socket client, EventRecorder clientEvents, Accepted served) {
    client.write("ping");
    served.events().awaitBytes(4, WAIT);
    served.socket().write("pong");
    clientEvents.awaitBytes(4, WAIT);
  }

  private static long threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  /** Counts this process's descriptors on files in a directory (unlinked FIFOs included). */
  private static long descriptorsUnder(Path dir) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(PipeEngineTest::target).filter(t -> t.startsWith(dir + "/")).count();
    }
  }

  private static String target(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return ""; // closed meanwhile (the directory listing's own descriptor)
    }
  }
}
