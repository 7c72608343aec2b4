package dev.jnet.tcp;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} for {@link JvmExitIT}: it opens things, then returns from main, and the JVM must
 * exit (or stay) by itself, as a Node process does.
 */
public final class ExitProbe {
  private ExitProbe() {}

  /**
   * Runs one scenario.
   *
   * @param args {@code close-all}, {@code unref} or {@code ref}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Server server = Net.createServer(s -> s.pipe(s));
    server
        .listen(Endpoint.parse("tcp://127.0.0.1:0"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Endpoint where = server.address().orElseThrow();
    switch (args[0]) {
      case "close-all" -> {
        Socket c = Net.createConnection(where);
        c.onData(b -> c.end());
        c.write("ping");
        c.onClose(e -> server.close());
      }
      case "unref" -> server.unref();
      case "ref" -> {}
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println("main returns " + where);
    System.out.flush();
  }
}
