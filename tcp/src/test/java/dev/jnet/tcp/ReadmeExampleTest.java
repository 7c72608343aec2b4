package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's first-screen example, as written there (on a free port). */
class ReadmeExampleTest {
  @Test
  void theFirstScreenExampleEchoesHello() throws Exception {
    Server server = Net.createServer(socket -> socket.pipe(socket));
    server.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();

    Socket client = Net.createConnection(server.address().orElseThrow());
    client.setEncoding(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    client.onText(out::append);
    CompletableFuture<Void> serverClosed = new CompletableFuture<>();
    client.onClose(hadError -> server.close().thenRun(() -> serverClosed.complete(null)));
    client.end("hello");

    serverClosed.get(10, TimeUnit.SECONDS);
    assertThat(out).hasToString("hello");
  }
}
