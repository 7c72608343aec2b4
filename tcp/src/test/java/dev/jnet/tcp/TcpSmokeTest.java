package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpSmokeTest {
  @Test
  void echoRoundTrip() throws Exception {
    Server server = Net.createServer(s -> s.pipe(s));
    server.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    Socket c = Net.createConnection(server.address().orElseThrow());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<String> done = new CompletableFuture<>();
    c.onData(b -> got.write(b.array(), b.arrayOffset() + b.position(), b.remaining()));
    c.onEnd(() -> done.complete(got.toString()));
    c.onError(done::completeExceptionally);
    c.write("hello ");
    c.end("world");
    assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo("hello world");
    assertThat(c.closed().toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
    server.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
    System.out.println("engine " + Net.engine());
  }
}
