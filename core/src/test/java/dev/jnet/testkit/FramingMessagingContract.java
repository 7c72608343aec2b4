package dev.jnet.testkit;

import static dev.jnet.testkit.FramingInbox.bytes;
import static dev.jnet.testkit.FramingInbox.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.SocketOptions;
import dev.jnet.message.Envelope;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageClient;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import dev.jnet.message.ReconnectOptions;
import dev.jnet.message.Reply;
import dev.jnet.message.RequestRejectedException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messaging over a real transport: broadcast, request/response with correlation ids, timeouts,
 * cancellation, server-pushed events, and the reconnecting client's queue and delivery guarantee.
 */
public abstract class FramingMessagingContract extends FramingSupport {

  private Messenger clientMessenger(MessageServer server) {
    return Messenger.of(messageClient(server, Framing.lengthPrefixed()));
  }

  private static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("the stage completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void broadcastReachesEveryConnectionTheFilterAccepts() {
    Framing lines = Framing.lines();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lines, accepted, s -> {});
    List<FramingInbox<String>> inboxes =
        List.of(FramingInbox.text(), FramingInbox.text(), FramingInbox.text());
    List<MessageSocket> clients = new java.util.ArrayList<>();
    for (FramingInbox<String> inbox : inboxes) {
      MessageSocket c = messageClient(server, lines);
      c.onMessage(m -> inbox.accept(utf8(m)));
      clients.add(c);
    }
    for (int i = 0; i < clients.size(); i++) {
      clients.get(i).send("hello " + i);
    }
    // accepted in whatever order the transport's set-up completes: each connection says whose it is
    Conn first = null;
    for (Conn c : accepted.take(clients.size())) {
      if (c.messages().take().equals("hello 0")) {
        first = c;
      }
    }
    assertThat(first).as("the connection of the first client").isNotNull();
    Conn excluded = first;
    assertThat(server.broadcast(bytes("{\"tick\":1}"), s -> s != excluded.socket())).isEqualTo(2);
    assertThat(server.broadcast(bytes("{\"tick\":2}"))).isEqualTo(3);
    assertThat(inboxes.get(0).take()).isEqualTo("{\"tick\":2}");
    assertThat(inboxes.get(1).take(2)).containsExactly("{\"tick\":1}", "{\"tick\":2}");
    assertThat(inboxes.get(2).take(2)).containsExactly("{\"tick\":1}", "{\"tick\":2}");
  }

  @Test
  void connectionsCarryTheirOwnAttachment() {
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server =
        messageServer(
            Framing.lines(),
            accepted,
            s -> {
              s.attach(new int[1]);
              s.onMessage(m -> s.send("count " + ++((int[]) s.attachment().orElseThrow())[0]));
            });
    MessageSocket one = messageClient(server, Framing.lines());
    MessageSocket two = messageClient(server, Framing.lines());
    FramingInbox<String> r1 = FramingInbox.text();
    FramingInbox<String> r2 = FramingInbox.text();
    one.onMessage(m -> r1.accept(utf8(m)));
    two.onMessage(m -> r2.accept(utf8(m)));
    one.send("a");
    one.send("b");
    two.send("c");
    assertThat(r1.take(2)).containsExactly("count 1", "count 2");
    assertThat(r2.take()).isEqualTo("count 1");
    assertThat(server.connections()).hasSize(2);
  }

  @Test
  void responsesFindTheirRequestByCorrelationIdEvenWhenAnsweredOutOfOrder() {
    FramingInbox<Reply> replies = new FramingInbox<>();
    FramingInbox<String> bodies = FramingInbox.text();
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s ->
                Messenger.of(s)
                    .onRequest(
                        (body, reply) -> {
                          bodies.accept(utf8(body));
                          replies.accept(reply);
                        }));
    Messenger m = clientMessenger(server);
    CompletionStage<ByteBuffer> r1 = m.request(bytes("one"));
    CompletionStage<ByteBuffer> r2 = m.request(bytes("two"));
    CompletionStage<ByteBuffer> r3 = m.request(bytes("three"));
    List<Reply> got = replies.take(3);
    List<String> asked = bodies.take(3);
    for (int i = 2; i >= 0; i--) {
      if (i == 1) {
        got.get(i).reject("no " + asked.get(i));
      } else {
        got.get(i).resolve(bytes(asked.get(i).toUpperCase()));
      }
    }
    assertThat(utf8(await(r1))).isEqualTo("ONE");
    assertThat(utf8(await(r3))).isEqualTo("THREE");
    assertThat(failure(r2)).isInstanceOf(RequestRejectedException.class).hasMessage("no two");
    assertThat(m.pendingRequests()).isZero();
  }

  @Test
  void aRequestThatTimesOutFailsWithEtimedoutAndThePeerSeesTheCancel() {
    FramingInbox<Reply> replies = new FramingInbox<>();
    FramingInbox<String> cancels = FramingInbox.text();
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s ->
                Messenger.of(s)
                    .onRequest(
                        (body, reply) -> {
                          reply.onCancel(() -> cancels.accept("cancelled"));
                          replies.accept(reply);
                        }));
    Messenger m = clientMessenger(server);
    CompletionStage<ByteBuffer> slow = m.request(bytes("slow"), Duration.ofMillis(100));
    Reply reply = replies.take();
    Throwable t = failure(slow);
    assertThat(t).isInstanceOf(NetException.class);
    assertThat(((NetException) t).code()).isEqualTo(ErrorCode.ETIMEDOUT);
    assertThat(cancels.take()).isEqualTo("cancelled");
    assertThat(reply.isCancelled()).isTrue();
    assertThat(reply.resolve(bytes("too late"))).isFalse();
    assertThat(
            utf8(
                await(
                    m.request(bytes("next"), Duration.ofMillis(100))
                        .exceptionally(e -> bytes("failed")))))
        .isEqualTo("failed");
  }

  @Test
  void cancellingARequestTellsThePeerAndDropsItsLateAnswer() {
    FramingInbox<Reply> replies = new FramingInbox<>();
    FramingInbox<String> cancels = FramingInbox.text();
    FramingInbox<String> events = FramingInbox.text();
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s -> {
              Messenger sm = Messenger.of(s);
              sm.onRequest(
                  (body, reply) -> {
                    reply.onCancel(
                        () -> {
                          cancels.accept("cancelled");
                          sm.send(bytes("after cancel"));
                        });
                    replies.accept(reply);
                  });
            });
    Messenger m = clientMessenger(server);
    m.onMessage(e -> events.accept(utf8(e)));
    CompletableFuture<ByteBuffer> r = m.request(bytes("work"), Duration.ZERO).toCompletableFuture();
    replies.take();
    assertThat(r.cancel(true)).isTrue();
    assertThat(cancels.take()).isEqualTo("cancelled");
    assertThat(events.take()).isEqualTo("after cancel");
    assertThat(m.pendingRequests()).isZero();
  }

  @Test
  void pendingRequestsFailWithTheConnectionsErrorWhenItCloses() {
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s -> Messenger.of(s).onRequest((body, reply) -> s.destroy()));
    Messenger m = clientMessenger(server);
    Throwable t = failure(m.request(bytes("bye"), Duration.ZERO));
    assertThat(t).isInstanceOf(NetException.class);
    assertThat(m.pendingRequests()).isZero();
    Throwable after = failure(m.request(bytes("again")));
    assertThat(((NetException) after).code())
        .isIn(ErrorCode.ERR_SOCKET_CLOSED, ErrorCode.ECONNRESET, ErrorCode.EPIPE);
  }

  @Test
  void aRequestWithoutAHandlerIsRejectedAndOneWayMessagesNeedNoAnswer() {
    FramingInbox<String> oneWay = FramingInbox.text();
    MessageServer server =
        messageServer(
            Framing.lines(),
            new FramingInbox<>(),
            s -> Messenger.of(s).onMessage(b -> oneWay.accept(utf8(b))));
    Messenger m = Messenger.of(messageClient(server, Framing.lines()));
    m.send(bytes("{\"note\":1}"));
    assertThat(oneWay.take()).isEqualTo("{\"note\":1}");
    assertThat(failure(m.request(bytes("?"))))
        .isInstanceOf(RequestRejectedException.class)
        .hasMessage("no request handler");
  }

  @Test
  void theServerPushesEventsToOneClientOrBroadcastsThemToAll() {
    FramingInbox<Messenger> serverSide = new FramingInbox<>();
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s -> serverSide.accept(Messenger.of(s)));
    Messenger m = clientMessenger(server);
    FramingInbox<String> events = FramingInbox.text();
    m.onMessage(e -> events.accept(utf8(e)));
    serverSide.take().send(bytes("just you"));
    server.broadcast(Envelope.oneWay(bytes("everyone")));
    assertThat(events.take(2)).containsExactly("just you", "everyone");
  }

  @Test
  void theReconnectingClientSendsQueuedMessagesOnTheNextConnectionAndNeverRepeatsSentOnes() {
    Framing lp = Framing.lengthPrefixed();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer first = messageServer(lp, accepted, s -> {});
    Endpoint ep = first.server().address().orElseThrow();
    ReconnectOptions opts =
        ReconnectOptions.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(200));
    MessageClient client = closeLater(MessageClient.connect(ep, lp, opts));
    FramingInbox<String> lifecycle = FramingInbox.text();
    client.onConnect(s -> lifecycle.accept("connect"));
    client.onDisconnect(e -> lifecycle.accept("disconnect"));
    await(client.send(bytes("m1")));
    Conn c1 = accepted.take();
    assertThat(c1.messages().take()).isEqualTo("m1");
    assertThat(lifecycle.take()).isEqualTo("connect");
    CompletionStage<Void> closing = first.close();
    c1.socket().destroy();
    await(closing);
    assertThat(lifecycle.take()).isEqualTo("disconnect");
    CompletionStage<Void> m2 = client.send(bytes("m2"));
    CompletionStage<Void> m3 = client.send(bytes("m3"));
    assertThat(client.queued()).isEqualTo(2);
    MessageServer second = MessageServer.create(lp, s -> {});
    FramingInbox<String> got = FramingInbox.text();
    second.onConnection(s -> s.onMessage(m -> got.accept(utf8(m))));
    closeLater(
        () -> {
          second.connections().forEach(MessageSocket::destroy);
          await(second.close());
        });
    await(second.listen(ep));
    await(m2);
    await(m3);
    assertThat(got.take(2)).containsExactly("m2", "m3");
    assertThat(lifecycle.take()).isEqualTo("connect");
    got.assertNothingWithin(Duration.ofMillis(50));
  }

  @Test
  void aFullQueueFailsSendAtOnceAndCloseFailsWhatIsQueued() {
    ReconnectOptions opts =
        ReconnectOptions.defaults()
            .withMaxQueuedMessages(2)
            .withDelays(Duration.ofMillis(50), Duration.ofMillis(50))
            .withSocketOptions(SocketOptions.defaults());
    MessageClient client =
        closeLater(MessageClient.connect(fixture().deadEndpoint(), Framing.lines(), opts));
    CompletionStage<Void> a = client.send(bytes("a"));
    CompletionStage<Void> b = client.send(bytes("b"));
    Throwable full = failure(client.send(bytes("c")));
    assertThat(((NetException) full).code()).isEqualTo(ErrorCode.ERR_BUFFER_FULL);
    assertThat(client.connection()).isEqualTo(Optional.empty());
    client.close();
    assertThat(((NetException) failure(a)).code()).isEqualTo(ErrorCode.ERR_SOCKET_CLOSED);
    assertThat(((NetException) failure(b)).code()).isEqualTo(ErrorCode.ERR_SOCKET_CLOSED);
    assertThat(((NetException) failure(client.send(bytes("d")))).code())
        .isEqualTo(ErrorCode.ERR_SOCKET_CLOSED);
  }
}
