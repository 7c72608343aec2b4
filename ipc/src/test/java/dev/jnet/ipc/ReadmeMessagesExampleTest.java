package dev.jnet.ipc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's messaging example, as written there (on a fresh socket path). */
class ReadmeMessagesExampleTest {
  @Test
  void theMessagesExampleAnswersPing() throws Exception {
    Endpoint where = new Endpoint.Unix(UnixFixture.freshPath().toString(), false);
    MessageServer server =
        MessageServer.create(
            Framing.lengthPrefixed(),
            conn -> {
              Messenger m = Messenger.of(conn);
              m.onRequest((body, reply) -> reply.resolve(body));
            });
    server.listen(where).toCompletableFuture().join();

    MessageSocket socket =
        MessageSocket.wrap(Net.createConnection(where), Framing.lengthPrefixed());
    Messenger client = Messenger.of(socket);
    String answer =
        client
            .request(UTF_8.encode("ping"), Duration.ofSeconds(2))
            .thenApply(r -> UTF_8.decode(r).toString())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(answer).isEqualTo("ping");

    socket.destroy();
    socket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
