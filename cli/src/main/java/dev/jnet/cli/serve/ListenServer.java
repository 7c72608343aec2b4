package dev.jnet.cli.serve;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.cli.dump.Direction;
import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.dump.TlsReport;
import dev.jnet.cli.session.Conversation;
import dev.jnet.cli.session.ExecBridge;
import dev.jnet.cli.session.InputDecoder;
import dev.jnet.cli.session.MessageLines;
import dev.jnet.cli.session.StdoutSink;
import dev.jnet.cli.session.Traffic;
import dev.jnet.cli.spec.FileError;
import dev.jnet.cli.spec.FramingMode;
import dev.jnet.cli.spec.ListenSpec;
import dev.jnet.cli.system.QuickExit;
import dev.jnet.cli.system.Terminal;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsServer;
import dev.jnet.tls.TlsServerOptions;
import dev.jnet.tls.TlsSocket;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code jnet listen}: one conversation with stdin/stdout, or ({@code -k}) many clients at
 * once talking with stdin/stdout, a child process each ({@code --exec}), or each other ({@code
 * --broker}).
 */
public final class ListenServer {
  private final ListenSpec spec;
  private final PrintWriter err;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Socket, Client> clients = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<Void>> closeLines = ConcurrentHashMap.newKeySet();
  private ServeLoop loop;
  private final CompletableFuture<Conversation> first = new CompletableFuture<>();

  /**
   * With {@code -k}: stdin has ended, so every client, present or future, gets our end (a
   * half-close).
   */
  private volatile boolean stdinEnded;

  private final FileChannel stdout = new FileOutputStream(FileDescriptor.out).getChannel();
  private final Dump dump;

  /** A connected client of a {@code -k} server, with its dump state and its stdout writer. */
  private record Client(Socket socket, Traffic traffic, StdoutSink sink, MessageLines lines) {}

  private final TlsServerOptions tls; // null for plain text

  /**
   * A listen server, over TLS when {@code tls} is given.
   *
   * @param spec the command
   * @param err where lines go
   * @param tls the TLS options, or null
   */
  public ListenServer(ListenSpec spec, PrintWriter err, TlsServerOptions tls) {
    this.tls = tls;
    this.spec = spec;
    this.err = err;
    Format format = spec.conversation().format();
    this.dump = new Dump(format, format != Format.RAW && Terminal.colour());
  }

  /**
   * Listens and serves.
   *
   * @return the exit code: the conversation's without {@code -k}, else 0 after SIGTERM and 130
   *     after SIGINT
   * @throws Exception if listening failed or the one conversation broke
   */
  public int run() throws Exception {
    loop = ServeLoop.onSignals();
    Server server;
    if (tls == null) {
      server = Net.createServer(options(), this::accepted);
    } else {
      TlsServer t = Tls.createServer(options(), tls, this::accepted);
      t.onTlsClientError(
          e -> {
            err.println("jnet: tls client error " + e.code() + " " + e.getMessage());
            err.flush();
          });
      server = t;
    }
    Endpoint bound = Listening.listen(server, spec.endpoint(), this::say);
    say("listening on " + bound);
    if (!spec.keep() && spec.exec() == null) {
      return converseOnce(server);
    }
    if (spec.exec() == null && !spec.broker()) {
      startStdinBroadcast();
    }
    String signal = loop.awaitStop();
    shutDown(server, signal);
    return ServeLoop.exitCode(signal);
  }

  private ServerOptions options() {
    ServerOptions o =
        ServerOptions.defaults().withNoDelay(true).withAllowHalfOpen(true).withPauseOnConnect(true);
    if (spec.maxConns() > 0) {
      o = o.withMaxConnections(spec.maxConns());
    }
    if (!spec.rules().isEmpty()) {
      o = o.withAuthorizer(this::authorize);
    }
    return o;
  }

  private boolean authorize(Socket socket) {
    boolean ok = spec.rules().permits(socket);
    if (!ok) {
      say("#- refuse " + Peers.describe(socket) + " (--allow/--deny)");
    }
    return ok;
  }

  private int converseOnce(Server server) throws Exception {
    CompletableFuture.anyOf(first, loop.stopped()).get();
    if (!first.isDone()) {
      String signal = loop.awaitStop();
      shutDown(server, signal);
      return ServeLoop.exitCode(signal);
    }
    server.close();
    Conversation c = first.get();
    if (spec.receiveOnly()) {
      ReadableByteChannel none = c.untilPeerEnds();
      QuickExit.register(none);
      return c.run(none);
    }
    FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
    QuickExit.register(stdin);
    return c.run(stdin);
  }

  /** The accept line, and for TLS the handshake's result and the peer certificate. */
  private void sayAccept(long id, String peer, Socket socket) {
    say("#" + id + " accept " + peer);
    if (socket instanceof TlsSocket t) {
      for (String line : TlsReport.handshake(t)) {
        say("#" + id + line.substring("jnet:".length()));
      }
    }
  }

  private void accepted(Socket socket) {
    long id = ids.incrementAndGet();
    long start = System.nanoTime();
    String peer = Peers.describe(socket);
    if (!spec.keep() && spec.exec() == null && first.isDone()) {
      socket.destroy();
      return;
    }
    AtomicReference<NetException> error = new AtomicReference<>();
    socket.onError(error::set);
    socket.onClose(
        hadError -> {
          Client client = clients.remove(socket);
          String line =
              ConnectionLog.closeLine(
                  id,
                  peer,
                  socket.bytesRead(),
                  socket.bytesWritten(),
                  Duration.ofNanos(System.nanoTime() - start),
                  Optional.ofNullable(error.get()).map(NetException::code));
          if (client != null && client.sink() != null) {
            // after the client's last bytes on stdout: with 2>&1, the close line follows its data
            client.sink().finish();
            CompletableFuture<Void> said =
                client.sink().done().toCompletableFuture().handle((open, failure) -> say(line));
            closeLines.add(said);
            said.whenComplete((nothing, failure) -> closeLines.remove(said));
          } else {
            say(line);
          }
          if (!spec.keep()) {
            loop.stop("the connection closed");
          }
        });
    // the accept line comes once the client is wired up (and before it is resumed), so that
    // anything done
    // after seeing it, such as typing into stdin under -k, reaches this client
    if (spec.exec() != null) {
      sayAccept(id, peer, socket);
      ExecBridge.start(socket, spec.exec());
    } else if (spec.broker()) {
      broker(socket, id);
      sayAccept(id, peer, socket);
      socket.resume();
    } else if (!spec.keep()) {
      Conversation c = new Conversation(spec.conversation(), err, id, peer);
      c.attach(socket, stdout);
      c.watchFrames(spec.firstFrameTimeout(), spec.frameTimeout());
      first.complete(c);
      sayAccept(id, peer, socket);
      socket.resume();
    } else {
      serve(socket, id);
      sayAccept(id, peer, socket);
      socket.resume();
    }
  }

  private MessageLines lines(long id) {
    FramingMode f = spec.conversation().framing();
    return f == null ? null : new MessageLines(f.framing(), dump, id);
  }

  private void serve(Socket socket, long id) {
    Traffic traffic = new Traffic(dump, id);
    MessageLines lines = lines(id);
    if (lines != null) {
      lines.watch(socket, spec.firstFrameTimeout(), spec.frameTimeout());
    }
    StdoutSink sink =
        StdoutSink.start(
            socket, stdout, "stdout", data -> traffic.renderIncoming(lines, socket, data));
    sink.done()
        .whenComplete(
            (stdoutOpen, failure) -> {
              if (failure != null) {
                say("jnet: #" + id + " " + failure.getMessage());
              }
            });
    clients.put(socket, new Client(socket, traffic, sink, lines));
    socket.onEnd(socket::end);
    if (stdinEnded) {
      socket.end();
    }
  }

  private void broker(Socket socket, long id) {
    Traffic traffic = new Traffic(dump, id);
    clients.put(socket, new Client(socket, traffic, null, null));
    socket.onData(
        data -> {
          if (dump.format() != Format.RAW) {
            print(traffic.render(Direction.IN, data));
          }
          for (Client c : clients.values()) {
            if (c.socket() != socket) {
              c.socket().write(data.duplicate());
            }
          }
        });
    socket.onEnd(socket::end);
  }

  private synchronized void print(ByteBuffer data) {
    try {
      while (data.hasRemaining()) {
        stdout.write(data);
      }
    } catch (java.io.IOException e) {
      // stdout went away; the broker carries on
    }
  }

  /**
   * With {@code -k}: stdin goes to every client connected at the time. Its end is passed on as
   * connect passes it: every client gets our end (a half-close; each can still send, and is printed
   * until it ends too), and so does every client accepted afterwards, since we have nothing more to
   * send. The server keeps serving.
   */
  private void startStdinBroadcast() {
    FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
    QuickExit.register(stdin);
    FramingMode f = spec.conversation().framing();
    MessageLines lines =
        f == null ? null : new MessageLines(f.framing(), new Dump(Format.RAW, false), 0);
    InputDecoder decoder =
        new InputDecoder(spec.conversation().input(), spec.conversation().crlf(), lines);
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
              try {
                while (stdin.read(buf.clear()) >= 0) {
                  ByteBuffer data = decoder.decode(buf.flip());
                  for (Client c : clients.values()) {
                    if (dump.format() != Format.RAW && c.lines() == null) {
                      c.sink().print(c.traffic().render(Direction.OUT, data));
                    }
                    c.socket().write(data.duplicate());
                  }
                }
                stdinEnded = true;
                for (Client c : clients.values()) {
                  c.socket().end();
                }
                if (spec.conversation().verbose()) {
                  say(
                      "jnet: end of stdin; sent EOF to "
                          + clients.size()
                          + " client(s) and will to any new one");
                }
              } catch (java.nio.channels.ClosedChannelException e) {
                // closed at exit (QuickExit)
              } catch (java.io.IOException e) {
                say("jnet: " + FileError.of(e).message("read", "stdin"));
              } catch (IllegalArgumentException e) {
                say("jnet: stdin: " + e.getMessage());
              }
            },
            "jnet-stdin");
    t.setDaemon(true);
    t.start();
  }

  private Void say(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
    return null;
  }

  private void shutDown(Server server, String reason) throws InterruptedException {
    if (reason.startsWith("SIG")) {
      say("jnet: " + reason + ": closing the server and " + clients.size() + " connection(s)");
    }
    ServeLoop.shutDown(server, clients.keySet());
    try {
      // the close lines of the connections just destroyed wait for their data on stdout
      CompletableFuture.allOf(closeLines.toArray(CompletableFuture[]::new))
          .get(1, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // exiting anyway
    }
  }
}
