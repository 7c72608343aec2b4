package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.ipc.OtherUid;
import dev.jnet.spi.IoEngine;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The accept byte (docs/pipe-protocol.md, section 3a), against peers written in Python from the
 * protocol page: a server that writes it, a wrong byte, no byte, a server that closes first; and
 * clients that ask for it honestly, or ask without holding their ends (they get nothing, and the
 * server serves everyone else). The client side needs a loop engine with {@link NativeFifo} (epoll,
 * or NIO with {@link SelectableFifo}; elsewhere jnet's client never asks); the server side runs
 * under every engine.
 */
class AcceptByteTest extends ContractSupport {
  /**
   * A server of the protocol with the accept byte: {@code accept}, {@code wrong}, {@code close} or
   * {@code silent}.
   */
  private static final String SERVER =
      String.join(
          "\n",
          "import os, sys, fcntl",
          "d, mode = sys.argv[1], sys.argv[2]",
          "os.mkdir(d, 0o700)",
          "lk = os.open(d + '/lock', os.O_RDWR | os.O_CREAT, 0o600)",
          "fcntl.lockf(lk, fcntl.LOCK_EX | fcntl.LOCK_NB)",
          "os.write(lk, b'JNETPIPE1 accept-byte\\n')",
          "os.mkfifo(d + '/pipe', 0o600)",
          "wk = os.open(d + '/pipe', os.O_RDWR)",
          "if mode == 'stuffed':",
          "    os.set_blocking(wk, False)",
          "    for n in (4096, 1):",
          "        try:",
          "            while True: os.write(wk, b'x' * n)",
          "        except BlockingIOError: pass",
          "    print('READY', flush=True)",
          "    sys.stdin.readline(); sys.exit(0)",
          "print('READY', flush=True)",
          "line = b''",
          "while not line.endswith(b'\\n'): line += os.read(wk, 1)",
          "ident = line.split()[1].decode()",
          "print('LINE ' + line.decode().strip(), flush=True)",
          "up = os.open(d + '/' + ident + '.up', os.O_RDONLY | os.O_NONBLOCK)",
          "down = os.open(d + '/' + ident + '.down', os.O_WRONLY | os.O_NONBLOCK)",
          "if mode == 'accept':",
          "    os.write(down, b'\\x00hello')",
          "    os.set_blocking(up, True)",
          "    print('GOT ' + os.read(up, 100).decode(), flush=True)",
          "elif mode == 'wrong':",
          "    os.write(down, b'\\x07')",
          "elif mode == 'close':",
          "    os.close(down)",
          "print('DONE', flush=True)",
          "sys.stdin.readline()");

  /**
   * A client that asks for the accept byte: {@code honest} (holds both ends, reads the byte, then
   * exchanges bytes), {@code eager} (the same, but writes before it announces), {@code liar} (holds
   * no end), {@code half} (holds only its read end); or {@code plain}, a client of version 1 that
   * does not ask (blocking opens in the protocol's order).
   */
  private static final String CLIENT =
      String.join(
          "\n",
          "import os, sys, select",
          "d, ident, mode = sys.argv[1], sys.argv[2], sys.argv[3]",
          "up, down = d + '/' + ident + '.up', d + '/' + ident + '.down'",
          "os.mkfifo(up, 0o600); os.mkfifo(down, 0o600)",
          "if mode == 'half':",
          "    r = os.open(down, os.O_RDONLY | os.O_NONBLOCK)",
          "if mode in ('honest', 'eager'):",
          "    r = os.open(down, os.O_RDONLY | os.O_NONBLOCK)",
          "    tmp = os.open(up, os.O_RDONLY | os.O_NONBLOCK)",
          "    w = os.open(up, os.O_WRONLY | os.O_NONBLOCK)",
          "    if mode == 'eager': os.write(w, b'ping')  # while its own reader is there",
          "    os.close(tmp)",
          "wk = os.open(d + '/pipe', os.O_WRONLY)",
          "ask = '' if mode == 'plain' else ' accept-byte'",
          "os.write(wk, ('JNETPIPE1 %s %d%s\\n' % (ident, os.getpid(), ask)).encode()); os.close(wk)",
          "print('ANNOUNCED', flush=True)",
          "if mode in ('honest', 'eager'):",
          "    select.select([r], [], [], 10)",
          "    first = os.read(r, 1)",
          "    print('FIRST %r' % first, flush=True)",
          "    os.unlink(up); os.unlink(down)",
          "    os.set_blocking(w, True); os.set_blocking(r, True)",
          "    if mode == 'honest': os.write(w, b'ping')",
          "    got = b''",
          "    while len(got) < 4: got += os.read(r, 4 - len(got))",
          "    print('ECHO ' + got.decode(), flush=True)",
          "if mode == 'plain':",
          "    w = os.open(up, os.O_WRONLY); r = os.open(down, os.O_RDONLY)",
          "    os.unlink(up); os.unlink(down)",
          "    os.write(w, b'ping'); got = b''",
          "    while len(got) < 4: got += os.read(r, 4 - len(got))",
          "    print('ECHO %r' % got, flush=True)",
          "sys.stdin.readline()");

  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }

  /** A jnet echo server listening in a fresh pipe directory, which it returns. */
  private Path echoServer() {
    Path dir = PipeFixture.freshDir();
    Server server = createServer(ServerOptions.defaults(), s -> s.pipe(s));
    await(server.listen(new Endpoint.Pipe(dir.toString())));
    return dir;
  }

  /** Connections are set up on the loops: the client asks for the byte, the server never blocks. */
  private static boolean setsUpOnTheLoops() {
    return FifoEngine.select(IoEngine.current()).opensWithoutThreads();
  }

  private static void assumeClientAsks() {
    assumeTrue(
        setsUpOnTheLoops(),
        "jnet's client asks for the accept byte only where its engine sets up on the loops");
  }

  private static Path serverDir() throws Exception {
    return PipeFixture.freshDir();
  }

  @Test
  void aClientThatAsksSkipsTheByteAndExchangesData() throws Exception {
    assumeClientAsks();
    Path dir = serverDir();
    try (OtherUid server = OtherUid.sameUid(SERVER, dir.toString(), "accept")) {
      server.expect("READY");
      Socket client = connect(new Endpoint.Pipe(dir.toString()), SocketOptions.defaults());
      EventRecorder events = EventRecorder.record(client);
      assertThat(server.expect("LINE"))
          .as("the client asks for the byte")
          .matches("LINE JNETPIPE1 [0-9a-f]{24} [0-9]+ accept-byte");
      events.awaitBytes(5, WAIT);
      assertThat(new String(events.data(), StandardCharsets.US_ASCII))
          .as("what came before the application's bytes is gone")
          .isEqualTo("hello");
      client.write("ping".getBytes(StandardCharsets.US_ASCII));
      assertThat(server.expect("GOT")).isEqualTo("GOT ping");
      assertThat(names(dir)).as("the client unlinked its pair").containsExactly("lock", "pipe");
      client.destroy();
    }
  }

  @Test
  void aWrongFirstByteIsAProtocolErrorAndTheClientLeavesNothing() throws Exception {
    assertClientFails("wrong", SocketOptions.defaults(), ErrorCode.EPROTO);
  }

  @Test
  void aServerThatClosesBeforeTheByteResetsTheConnect() throws Exception {
    assertClientFails("close", SocketOptions.defaults(), ErrorCode.ECONNRESET);
  }

  @Test
  void aServerThatNeverWritesTheByteTimesTheConnectOut() throws Exception {
    assertClientFails(
        "silent",
        SocketOptions.defaults().withConnectTimeout(Duration.ofMillis(300)),
        ErrorCode.ETIMEDOUT);
  }

  @Test
  void aClientThatAsksHonestlyGetsTheByteFirstUnderEveryEngine() throws Exception {
    Path dir = echoServer();
    assertThat(Files.readString(dir.resolve("lock"))).isEqualTo("JNETPIPE1 accept-byte\n");
    try (OtherUid client = OtherUid.sameUid(CLIENT, dir.toString(), "honest1", "honest")) {
      assertThat(client.expect("FIRST")).isEqualTo("FIRST b'\\x00'");
      assertThat(client.expect("ECHO")).isEqualTo("ECHO ping");
    }
  }

  @Test
  void aServerThatStopsReadingItsAnnouncementsRefusesWithEagainAndHoldsUpNoOtherConnect()
      throws Exception {
    assumeTrue(setsUpOnTheLoops(), "elsewhere the announcement is a blocking write");
    Path stuck = serverDir();
    Path live = echoServer();
    try (OtherUid stuffed = OtherUid.sameUid(SERVER, stuck.toString(), "stuffed")) {
      stuffed.expect("READY");
      for (int i = 0; i < 3; i++) {
        Socket refused = connect(new Endpoint.Pipe(stuck.toString()), SocketOptions.defaults());
        EventRecorder failed = EventRecorder.record(refused).awaitClose();
        assertThat(failed.error()).as("connect %d to the stuck server", i).isNotNull();
        assertThat(failed.error().code()).isEqualTo(ErrorCode.EAGAIN);
        Socket served = connect(new Endpoint.Pipe(live.toString()), SocketOptions.defaults());
        EventRecorder events = EventRecorder.record(served);
        served.write("ok".getBytes(StandardCharsets.US_ASCII));
        events.awaitBytes(2, WAIT);
        served.destroy();
      }
      assertThat(names(stuck))
          .as("the refused clients left nothing")
          .containsExactly("lock", "pipe");
    }
  }

  @Test
  void aVersionOneClientWhoseIdStartsWithAnUnderscoreGetsOnlyItsOwnBytes() throws Exception {
    Path dir = echoServer();
    try (OtherUid client = OtherUid.sameUid(CLIENT, dir.toString(), "_plain1", "plain")) {
      assertThat(client.expect("ECHO"))
          .as("no accept byte in its stream")
          .isEqualTo("ECHO b'ping'");
    }
  }

  @Test
  void bytesAClientWroteBeforeTheAcceptByteAreAllDelivered() throws Exception {
    Path dir = echoServer();
    try (OtherUid client = OtherUid.sameUid(CLIENT, dir.toString(), "eager1", "eager")) {
      assertThat(client.expect("FIRST")).isEqualTo("FIRST b'\\x00'");
      assertThat(client.expect("ECHO"))
          .as("the byte the server read to see the writer is not lost")
          .isEqualTo("ECHO ping");
    }
  }

  @Test
  void aClientThatAsksWithoutItsEndsGetsNothingAndOthersAreServed() throws Exception {
    assumeTrue(
        setsUpOnTheLoops(),
        "without NativeFifo the server waits for such a client in blocking opens, 10 s each");
    Path dir = PipeFixture.freshDir();
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server =
        createServer(ServerOptions.defaults(), s -> accepted.add(new Accepted(s, null)));
    await(server.listen(new Endpoint.Pipe(dir.toString())));
    for (String mode : List.of("liar", "half")) {
      try (OtherUid client = OtherUid.sameUid(CLIENT, dir.toString(), mode, mode)) {
        client.expect("ANNOUNCED");
        Socket honest = connect(new Endpoint.Pipe(dir.toString()), SocketOptions.defaults());
        EventRecorder.record(honest).await("ready", WAIT);
        assertThat(take(accepted)).isNotNull();
        assertThat(accepted).as("the " + mode + " was not accepted").isEmpty();
        // the line before the honest client's was handled first, on the same loop: its pair is gone
        assertThat(names(dir))
            .as("the " + mode + "'s pair was deleted")
            .containsExactly("lock", "pipe");
        honest.destroy();
      }
    }
  }

  private void assertClientFails(String mode, SocketOptions options, ErrorCode code)
      throws Exception {
    assumeClientAsks();
    Path dir = serverDir();
    try (OtherUid server = OtherUid.sameUid(SERVER, dir.toString(), mode)) {
      server.expect("READY");
      Socket client = connect(new Endpoint.Pipe(dir.toString()), options);
      EventRecorder events = EventRecorder.record(client);
      server.expect("DONE");
      events.awaitClose();
      assertThat(events.error()).as("the client's error").isNotNull();
      assertThat(events.error().code()).isEqualTo(code);
      assertThat(names(dir)).as("the client unlinked its pair").containsExactly("lock", "pipe");
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
