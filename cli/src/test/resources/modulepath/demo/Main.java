package demo;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A program that knows jnet only through "requires dev.jnet": an echo round trip on each endpoint given. */
public final class Main {
  public static void main(String[] args) throws Exception {
    StringBuilder report = new StringBuilder("engine=" + Net.engine());
    for (String endpoint : args) {
      Server server = Net.createServer(s -> s.pipe(s));
      Endpoint at = server.listen(Endpoint.parse(endpoint)).toCompletableFuture().get(10, TimeUnit.SECONDS)
          .address().orElseThrow();
      CompletableFuture<String> echoed = new CompletableFuture<>();
      StringBuilder got = new StringBuilder();
      Socket client = Net.createConnection(at);
      client.setEncoding(StandardCharsets.UTF_8);
      client.onText(got::append);
      client.onError(echoed::completeExceptionally);
      client.onClose(hadError -> echoed.complete(got.toString()));
      client.end("hello over " + at.scheme());
      report.append(' ').append(at.scheme()).append('=').append(echoed.get(10, TimeUnit.SECONDS));
      server.close();
    }
    System.out.println(report);
  }
}
