package dev.jnet.cli.serve;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.cli.spec.EchoSpec;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsServer;
import dev.jnet.tls.TlsServerOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code jnet echo}: a server whose connections are piped to themselves ({@code
 * socket.pipe(socket)}: no heap copy, backpressure honoured), until SIGINT or SIGTERM.
 */
public final class EchoServer {
  private final EchoSpec spec;
  private final PrintWriter err;
  private final ConnectionLog log;
  private final AtomicLong ids = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private final TlsServerOptions tls; // null for plain text

  public EchoServer(EchoSpec spec, PrintWriter err) {
    this(spec, err, null);
  }

  /**
   * An echo server, over TLS when {@code tls} is given.
   *
   * @param spec the command
   * @param err where lines go
   * @param tls the TLS options, or null
   */
  public EchoServer(EchoSpec spec, PrintWriter err, TlsServerOptions tls) {
    this.tls = tls;
    this.spec = spec;
    this.err = err;
    this.log = new ConnectionLog(err, !spec.quiet());
  }

  /**
   * Listens and serves until SIGINT or SIGTERM.
   *
   * @return 0 after SIGTERM, 130 after SIGINT
   * @throws NetException if listening failed ({@code EADDRINUSE}, {@code EACCES}, ...)
   */
  public int run() throws Exception {
    ServeLoop loop = ServeLoop.onSignals();
    Server server = start();
    String signal = loop.awaitStop();
    shutDown(server, signal);
    return ServeLoop.exitCode(signal);
  }

  /**
   * Listens, and says so on stderr.
   *
   * @return the listening server
   * @throws NetException if listening failed
   */
  public Server start() throws Exception {
    if (spec.ioThreads() != 1) {
      Net.ioThreads(spec.ioThreads());
    }
    ServerOptions options = ServerOptions.defaults().withNoDelay(true);
    Server server;
    if (tls == null) {
      server = Net.createServer(options, this::serve);
    } else {
      TlsServer t = Tls.createServer(options, tls, this::serve);
      if (!spec.quiet()) { // as every connection's line
        t.onTlsClientError(e -> say("jnet: tls client error " + e.code() + " " + e.getMessage()));
      }
      server = t;
    }
    Endpoint bound = Listening.listen(server, spec.endpoint(), this::say);
    err.println(
        "listening on "
            + bound
            + (tls != null ? " (tls)" : "")
            + (spec.verbose() ? " (" + Net.engine() + ")" : ""));
    return server;
  }

  /** Writes a line on stderr at once (a drop, seen from an I/O thread). */
  private void say(String line) {
    err.println(line);
    err.flush();
  }

  /**
   * Pipes the connection to itself. With {@code -q} a connection costs only its entry in {@link
   * #open} (for the shutdown): no id, no peer label (reading {@code /proc} per connection), no log
   * closure.
   */
  private void serve(Socket socket) {
    open.add(socket);
    if (spec.quiet()) {
      socket.onClose(hadError -> open.remove(socket));
    } else {
      logged(socket);
    }
    socket.pipe(socket);
  }

  private void logged(Socket socket) {
    long id = ids.incrementAndGet();
    long start = System.nanoTime();
    String peer = Peers.describe(socket);
    AtomicReference<NetException> error = new AtomicReference<>();
    log.accepted(id, peer);
    socket.onError(error::set);
    socket.onClose(
        hadError -> {
          open.remove(socket);
          log.closed(
              id,
              peer,
              socket.bytesRead(),
              socket.bytesWritten(),
              Duration.ofNanos(System.nanoTime() - start),
              Optional.ofNullable(error.get()).map(NetException::code));
        });
  }

  /**
   * Stops accepting, closes the open connections, and waits (briefly) for their close lines.
   *
   * @param server the server from {@link #start()}
   * @param reason why, for the log line
   * @throws InterruptedException if interrupted while waiting
   */
  public void shutDown(Server server, String reason) throws InterruptedException {
    if (!spec.quiet()) {
      err.println("jnet: " + reason + ": closing the server and " + open.size() + " connection(s)");
    }
    ServeLoop.shutDown(server, open);
  }
}
