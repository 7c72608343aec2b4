package dev.jnet.examples;

import com.sun.security.auth.module.UnixSystem;
import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * A Unix-socket server that only this user can reach, printing each client's credentials and saying
 * {@code bye} to it. It serves until killed.
 *
 * <p>Run: {@code java -cp ... dev.jnet.examples.UnixServer /run/app/app.sock [GROUP]}, then {@code
 * jnet connect unix:/run/app/app.sock}. A path it cannot take (a missing directory, a group that
 * does not exist, a live server's path) ends it with one line on {@code stderr} and exit code 1,
 * never silently.
 */
public final class UnixServer {
  private UnixServer() {}

  /**
   * Runs the example.
   *
   * @param args the socket's path, then optionally a group to give the socket file (mode 0660)
   */
  public static void main(String[] args) {
    String path = args.length > 0 ? args[0] : "/run/app/app.sock";
    String group = args.length > 1 ? args[1] : null;
    long me = new UnixSystem().getUid();
    // readme:start
    ServerOptions options =
        ServerOptions.defaults()
            .withMode(group == null ? 0600 : 0660) // 0600 by default, set before the first accept
            .withAllowedUids(Set.of((int) me)); // or withAllowedGids, or withAuthorizer(s -> ...)
    if (group != null) {
      options = options.withGroup(group);
    }
    Server server =
        Net.createServer(
            options,
            socket -> {
              socket
                  .peerCredentials()
                  .ifPresent(c -> System.out.println("pid " + c.pid() + " uid " + c.uid()));
              socket.end("bye\n");
            });
    try {
      server.listen(Endpoint.parse("unix:" + path)).toCompletableFuture().join();
    } catch (CompletionException e) {
      // a NetException: "listen ENOENT /run/app/app.sock", "listen EADDRINUSE ...", ...
      System.err.println("jnet example: " + e.getCause().getMessage());
      System.exit(1);
    }
    System.out.println("listening on " + server.address().orElseThrow());
    // readme:end
  }
}
