package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.ipc.internal.pipe.PipeFixture;
import dev.jnet.spi.Capability;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.EventRecorder;
import dev.jnet.testkit.TransportFixture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * A client that requires its server's uid and gid ({@code SocketOptions.withPeerUid/withPeerGid},
 * issue 11, item 11): a mismatch fails the connect with {@code EACCES}, naming expected and actual
 * ids, before any byte, even one written before the connect completed, reaches the server; where
 * credentials are unknowable (Unix sockets under NIO) the connect fails with {@code ENOTSUP} before
 * it is attempted. The squatter is a real uid-65534 process.
 */
class PeerUidTest extends ContractSupport {
  /**
   * Binds an abstract name, accepts one connection, reports how many bytes it read ("None": no
   * connection).
   */
  private static final String SQUAT =
      String.join(
          "\n",
          "import socket, sys, select",
          "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
          "s.bind('\\0' + sys.argv[1]); s.listen(5)",
          "print('READY', flush=True)",
          "r, _, _ = select.select([s, sys.stdin], [], [], 30)",
          "got = None",
          "if s in r:",
          "    c, _ = s.accept(); c.settimeout(10); data = b''",
          "    try:",
          "        while True:",
          "            b = c.recv(4096)",
          "            if not b: break",
          "            data += b",
          "    except OSError: pass",
          "    got = len(data)",
          "print('GOT %s' % got, flush=True)");

  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }

  private static boolean unixHasCredentials() {
    return UnixFixture.PATH.capabilities().contains(Capability.PEER_CREDENTIALS);
  }

  @Test
  void anAbstractNameSquatterGetsNoByteFromAClientThatRequiresUid0() throws Exception {
    OtherUid.assumeAvailable();
    String name = "jnet-squat-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (OtherUid nobody = OtherUid.python(SQUAT, name)) {
      nobody.expect("READY");
      Socket client =
          connect(new Endpoint.Unix(name, true), SocketOptions.defaults().withPeerUid(0));
      client.write("secret");
      EventRecorder events = EventRecorder.record(client).awaitClose();
      nobody.send("DONE");
      assertThat(nobody.expect("GOT")).as("bytes the squatter read").isIn("GOT 0", "GOT None");
      if (unixHasCredentials()) {
        assertThat(events.error().code()).isEqualTo(ErrorCode.EACCES);
        assertThat(events.error().getMessage()).contains("uid 65534").contains("expected uid 0");
      } else {
        assertThat(events.error().code()).isEqualTo(ErrorCode.ENOTSUP);
      }
      assertThat(events.events()).doesNotContain("connect");
    }
  }

  @Test
  void aUnixClientRequiringAnotherUidWritesNothing() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server server = listen(ServerOptions.defaults(), accepted);
    Socket client =
        connect(server.address().orElseThrow(), SocketOptions.defaults().withPeerUid(65534));
    client.write("secret");
    EventRecorder events = EventRecorder.record(client).awaitClose();
    if (!unixHasCredentials()) {
      assertThat(events.error().code()).isEqualTo(ErrorCode.ENOTSUP);
      assertThat(accepted).as("no connection was attempted").isEmpty();
      return;
    }
    assertThat(events.error().code()).isEqualTo(ErrorCode.EACCES);
    assertThat(events.error().getMessage()).contains("uid " + uid()).contains("expected uid 65534");
    Accepted a = take(accepted);
    a.events().awaitClose();
    assertThat(a.events().data()).as("bytes the server received").isEmpty();
  }

  @Test
  void aUnixClientRequiringItsServersUidAndGidIsServed() {
    assumeTrue(
        unixHasCredentials(),
        "Unix sockets report credentials only under epoll, not " + Net.engine());
    echoes(listen(ServerOptions.defaults(), s -> s.pipe(s)).address().orElseThrow());
  }

  @Test
  void aPipeClientRequiringAnotherUidWritesNothing() {
    LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    Server pipe =
        createServer(
            ServerOptions.defaults(), s -> accepted.add(new Accepted(s, EventRecorder.record(s))));
    await(pipe.listen(PipeFixture.PIPE.listenEndpoint()));
    for (SocketOptions o :
        new SocketOptions[] {
          SocketOptions.defaults().withPeerUid(65534), SocketOptions.defaults().withPeerGid(65534)
        }) {
      Socket client = connect(pipe.address().orElseThrow(), o);
      client.write("secret");
      EventRecorder events = EventRecorder.record(client).awaitClose();
      assertThat(events.error().code()).isEqualTo(ErrorCode.EACCES);
      assertThat(events.error().getMessage())
          .contains("expected " + (o.peerUid().isPresent() ? "uid" : "gid") + " 65534");
    }
    assertThat(accepted).as("nothing reached the server").isEmpty();
  }

  @Test
  void aPipeClientRequiringItsServersUidAndGidIsServed() {
    Server pipe = createServer(ServerOptions.defaults(), s -> s.pipe(s));
    await(pipe.listen(PipeFixture.PIPE.listenEndpoint()));
    echoes(pipe.address().orElseThrow());
  }

  private void echoes(Endpoint where) {
    Socket client = connect(where, SocketOptions.defaults().withPeerUid(uid()).withPeerGid(gid()));
    EventRecorder events = EventRecorder.record(client);
    client.end("mine");
    events.awaitClose();
    assertThat(events.error()).isNull();
    assertThat(new String(events.data(), StandardCharsets.US_ASCII)).isEqualTo("mine");
  }

  private static int uid() {
    return id("unix:uid");
  }

  private static int gid() {
    return id("unix:gid");
  }

  private static int id(String attribute) {
    try {
      return (Integer)
          java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), attribute);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
