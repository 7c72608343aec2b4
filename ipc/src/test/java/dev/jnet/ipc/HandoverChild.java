package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The new process of {@link HandoverIT}: takes the old server's listening socket at the rendezvous
 * path, serves "new" on it, confirms, prints {@code ready}, and runs until stdin ends.
 */
public final class HandoverChild {
  private HandoverChild() {}

  /**
   * Runs the child.
   *
   * @param args the rendezvous path
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Server server = Net.createServer(s -> s.end("new"));
    try (Handover.Taken taken =
        Handover.take(new Endpoint.Unix(args[0], false), Duration.ofSeconds(10))) {
      server.listen(taken.endpoint()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      taken.confirm();
    }
    System.out.println("ready " + server.address().map(Endpoint::toString).orElse("?"));
    System.out.flush();
    while (System.in.read() >= 0) {
      // serves until the parent closes our stdin
    }
    server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.exit(0);
  }
}
