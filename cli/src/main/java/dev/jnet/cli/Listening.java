package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.Server;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Starts a command's server and explains a refusal: when a Unix socket path is taken by a live server, the error
 * names that server's pid and command, learnt from the peer credentials of a probe connection.
 */
final class Listening {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private Listening() {}

  /**
   * Listens and waits until the server is bound.
   *
   * @param server the server
   * @param endpoint where to listen
   * @return the bound address (the real port for port 0)
   * @throws Exception the listen failure: a {@link NetException}, or a {@link CommandFailure} naming the owner
   */
  static Endpoint listen(Server server, Endpoint endpoint) throws Exception {
    QuickExit.engineUsed();
    try {
      server.listen(endpoint).toCompletableFuture().get();
      return server.address().orElse(endpoint);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NetException ne) {
        throw explained(ne, endpoint);
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static Exception explained(NetException e, Endpoint endpoint) {
    if (e.code() != ErrorCode.EADDRINUSE || !(endpoint instanceof Endpoint.Unix) || e.getMessage().contains("pid ")) {
      return e;
    }
    return owner(endpoint)
        .<Exception>map(c -> new CommandFailure(ExitCodes.ADDRESS_IN_USE, e.getMessage() + " (held by pid " + c.pid()
            + ", " + ProcessInfo.commandLine(c.pid()) + ")"))
        .orElse(e);
  }

  /**
   * Connects to a Unix endpoint and returns the credentials of the process that accepted.
   *
   * @param endpoint a Unix endpoint
   * @return the listener's credentials, empty if nothing accepted within a second
   */
  static Optional<PeerCredentials> owner(Endpoint endpoint) {
    Socket probe = Net.createConnection(endpoint, SocketOptions.defaults().withConnectTimeout(PROBE_TIMEOUT));
    try {
      probe.connected().toCompletableFuture().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return probe.peerCredentials();
    } catch (Exception e) {
      return Optional.empty();
    } finally {
      probe.destroy();
    }
  }
}
