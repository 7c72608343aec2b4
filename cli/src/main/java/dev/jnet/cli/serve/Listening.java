package dev.jnet.cli.serve;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.Server;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.cli.proc.ProcNet;
import dev.jnet.cli.proc.ProcessInfo;
import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.ExitCodes;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Starts a command's server and explains a refusal: when a Unix socket path is taken by a live
 * server, the error names that server's pid and command, learnt from the peer credentials of a
 * probe connection.
 */
public final class Listening {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private Listening() {}

  /**
   * Listens and waits until the server is bound, logging each connection the server turns away
   * (over its connection limit, or refused by its admission rules: another uid on an abstract name,
   * a peer rule) as one line.
   *
   * @param server the server
   * @param endpoint where to listen
   * @param log receives the {@code drop} lines ({@link ConnectionLog#dropLine})
   * @return the bound address (the real port for port 0)
   * @throws Exception the listen failure: a {@link NetException}, or a {@link CommandFailure}
   *     naming the owner
   */
  public static Endpoint listen(
      Server server, Endpoint endpoint, java.util.function.Consumer<String> log) throws Exception {
    server.onDrop(d -> log.accept(ConnectionLog.dropLine(d)));
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
    if (e.code() != ErrorCode.EADDRINUSE
        || !(endpoint instanceof Endpoint.Unix)
        || e.getMessage().contains("pid ")) {
      return e;
    }
    return owner(endpoint)
        .<Exception>map(
            c ->
                new CommandFailure(
                    ExitCodes.ADDRESS_IN_USE,
                    e.getMessage()
                        + " (held by pid "
                        + c.pid()
                        + ", "
                        + ProcessInfo.commandLine(c.pid())
                        + ")"))
        .orElse(e);
  }

  /**
   * What a probe connection to a Unix endpoint found.
   *
   * @param live whether something accepted the probe
   * @param owner the listener's credentials: from the probe's peer credentials, or, where the
   *     engine cannot read them (NIO), from {@code /proc} (the process holding the listening
   *     socket, and its real uid and gid)
   */
  public record Probe(boolean live, Optional<PeerCredentials> owner) {}

  /**
   * Connects to a Unix endpoint and tells whether a server accepted, and who it is.
   *
   * @param endpoint a Unix endpoint
   * @return the probe's findings; not live if nothing accepted within a second
   */
  public static Probe probe(Endpoint endpoint) {
    Socket probe =
        Net.createConnection(endpoint, SocketOptions.defaults().withConnectTimeout(PROBE_TIMEOUT));
    try {
      probe.connected().toCompletableFuture().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Optional<PeerCredentials> creds = probe.peerCredentials();
      return new Probe(true, creds.isPresent() ? creds : listenerFromProc(endpoint));
    } catch (Exception e) {
      return new Probe(false, Optional.empty());
    } finally {
      probe.destroy();
    }
  }

  /**
   * Returns the credentials of the process that accepted a probe connection.
   *
   * @param endpoint a Unix endpoint
   * @return the listener's credentials, empty if nothing accepted within a second or nobody could
   *     be named
   */
  public static Optional<PeerCredentials> owner(Endpoint endpoint) {
    return probe(endpoint).owner();
  }

  private static Optional<PeerCredentials> listenerFromProc(Endpoint endpoint) {
    if (!(endpoint instanceof Endpoint.Unix u)) {
      return Optional.empty();
    }
    String bound = u.isAbstract() ? "@" + u.path() : u.path();
    Map<Long, Long> owners = ProcNet.socketOwners();
    return ProcNet.unix().stream()
        .filter(r -> r.listening() && r.path().equals(bound))
        .map(r -> owners.get(r.inode()))
        .filter(Objects::nonNull)
        .findFirst()
        .flatMap(pid -> ProcessInfo.ids(pid).map(ids -> new PeerCredentials(pid, ids[0], ids[1])));
  }
}
