package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.PeerCredentials;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.testkit.EventRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/** Peer credentials, uid/gid allow-lists and authorizers on Unix sockets (epoll: SO_PEERCRED). */
@DisabledIfSystemProperty(
    named = "jnet.transport",
    matches = "nio",
    disabledReason = "peer credentials need the epoll engine (capability PEER_CREDENTIALS)")
class PeerCredentialsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private Server server;

  @AfterEach
  void close() throws Exception {
    if (server != null && server.isListening()) {
      server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static int myUid() throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  @Test
  void bothEndsSeeThePeersPidUidAndGid() throws Exception {
    CompletableFuture<PeerCredentials> serverSide = new CompletableFuture<>();
    server =
        Net.createServer(
            s -> {
              serverSide.complete(s.peerCredentials().orElseThrow());
              s.destroy();
            });
    server
        .listen(UnixFixture.PATH.listenEndpoint())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Socket client = Net.createConnection(server.address().orElseThrow());
    client.connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
    PeerCredentials fromClient = client.peerCredentials().orElseThrow();
    PeerCredentials fromServer = serverSide.get(10, TimeUnit.SECONDS);
    long pid = ProcessHandle.current().pid();
    assertThat(fromClient.pid()).isEqualTo(pid);
    assertThat(fromServer.pid()).isEqualTo(pid);
    assertThat(fromServer.uid()).isEqualTo(myUid());
    assertThat(fromServer.gid())
        .isEqualTo((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid"));
    client.destroy();
    client.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPeerOutsideTheUidAllowListIsClosedBeforeAnyDataReachesTheApplication() throws Exception {
    LinkedBlockingQueue<Socket> admitted = new LinkedBlockingQueue<>();
    server =
        Net.createServer(
            ServerOptions.defaults().withAllowedUids(Set.of(myUid() + 4242)), admitted::add);
    server
        .listen(UnixFixture.PATH.listenEndpoint())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Socket client = Net.createConnection(server.address().orElseThrow());
    EventRecorder events = EventRecorder.record(client);
    client.write("secret");
    events.awaitClose();
    assertThat(events.events()).doesNotContain("data");
    assertThat(admitted).isEmpty();
    assertThat(server.connections()).isZero();
  }

  @Test
  void aRejectingAuthorizerSeesTheSocketFirstAndTheServerKeepsServingOthers() throws Exception {
    LinkedBlockingQueue<Socket> admitted = new LinkedBlockingQueue<>();
    int[] seen = {0};
    ServerOptions o =
        ServerOptions.defaults()
            .withAuthorizer(
                s -> {
                  assertThat(s.peerCredentials()).isPresent();
                  return seen[0]++ > 0;
                });
    server =
        Net.createServer(
            o,
            s -> {
              admitted.add(s);
              s.pipe(s);
            });
    Endpoint ep = UnixFixture.PATH.listenEndpoint();
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Socket rejected = Net.createConnection(ep);
    EventRecorder r = EventRecorder.record(rejected);
    rejected.write("x");
    r.awaitClose();
    assertThat(r.events()).doesNotContain("data");

    Socket accepted = Net.createConnection(ep);
    EventRecorder a = EventRecorder.record(accepted);
    accepted.end("ping");
    a.awaitClose();
    assertThat(new String(a.data(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("ping");
    assertThat(admitted).hasSize(1);
  }

  @Test
  void anAbstractNameAdmitsItsOwnUid() throws Exception {
    server = Net.createServer(s -> s.pipe(s));
    server
        .listen(UnixFixture.ABSTRACT.listenEndpoint())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Socket client = Net.createConnection(server.address().orElseThrow());
    EventRecorder events = EventRecorder.record(client);
    client.end("same uid");
    events.awaitClose();
    assertThat(new String(events.data(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("same uid");
  }
}
