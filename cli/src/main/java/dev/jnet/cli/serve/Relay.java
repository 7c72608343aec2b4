package dev.jnet.cli.serve;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.cli.dump.Direction;
import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.dump.TlsReport;
import dev.jnet.cli.session.EofWhenDone;
import dev.jnet.cli.session.InputDecoder;
import dev.jnet.cli.session.StdinPump;
import dev.jnet.cli.session.StdoutSink;
import dev.jnet.cli.session.Traffic;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.spec.FileError;
import dev.jnet.cli.spec.InputMode;
import dev.jnet.cli.spec.RelayEnd;
import dev.jnet.cli.spec.RelaySpec;
import dev.jnet.cli.system.Terminal;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsServer;
import dev.jnet.tls.TlsServerOptions;
import dev.jnet.tls.TlsSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code jnet relay A B}: bytes from A to B and from B to A, each end's end passed on to the
 * other (a half-close both ways), with backpressure. When A listens, every accepted connection gets
 * its own B. With {@code --dump}, both directions are shown ({@code >} A to B, {@code <} B to A)
 * with connection ids.
 */
public final class Relay {
  private final RelaySpec spec;
  private final PrintWriter err;
  private final PrintStream dumpOut;
  private final Dump dump;
  private final AtomicLong ids = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServeLoop loop;
  private final AtomicReference<NetException> firstError = new AtomicReference<>();

  /** Sets up pairs with a stream end, whose opens block: daemon threads, reused. */
  private static final ExecutorService SET_UP =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jnet-relay-set-up");
            t.setDaemon(true);
            return t;
          });

  private TlsServerOptions tlsServer; // for tls:listen:, else null
  private TlsOptions tlsClient; // for tls:ENDPOINT, else null

  /**
   * A relay; TLS options for the ends that ask for it.
   *
   * @param spec the command
   * @param err where lines go
   * @param tlsServer for a {@code tls:listen:} end, or null
   * @param tlsClient for a {@code tls:ENDPOINT} end, or null
   */
  public Relay(RelaySpec spec, PrintWriter err, TlsServerOptions tlsServer, TlsOptions tlsClient) {
    this(spec, err);
    this.tlsServer = tlsServer;
    this.tlsClient = tlsClient;
  }

  public Relay(RelaySpec spec, PrintWriter err) {
    this.spec = spec;
    this.err = err;
    boolean stdio = spec.a() instanceof RelayEnd.Stdio || spec.b() instanceof RelayEnd.Stdio;
    this.dumpOut = stdio ? System.err : System.out;
    this.dump = new Dump(spec.format(), spec.format() != Format.RAW && !stdio && Terminal.colour());
  }

  /**
   * Relays until both directions ended (one pair) or until a signal (a listening A).
   *
   * @return the exit code
   * @throws Exception if an end failed
   */
  public int run() throws Exception {
    loop = ServeLoop.onSignals();
    if (spec.a() instanceof RelayEnd.Listen listen) {
      return serve(listen.endpoint());
    }
    CompletableFuture<Void> done = pair(ids.incrementAndGet(), null);
    CompletableFuture.anyOf(done, loop.stopped()).get();
    if (!done.isDone()) {
      ServeLoop.shutDown(null, open);
      return ServeLoop.exitCode(loop.awaitStop());
    }
    NetException e = firstError.get();
    if (e != null) {
      throw e;
    }
    return ExitCodes.OK;
  }

  private int serve(Endpoint endpoint) throws Exception {
    ServerOptions options =
        ServerOptions.defaults().withNoDelay(true).withAllowHalfOpen(true).withPauseOnConnect(true);
    java.util.function.Consumer<Socket> onConnection =
        socket -> {
          long id = ids.incrementAndGet();
          say("#" + id + " accept " + Peers.describe(socket));
          if (socket instanceof TlsSocket t) {
            TlsReport.handshake(t).forEach(l -> say("#" + id + l.substring("jnet:".length())));
          }
          pair(id, socket)
              .whenComplete(
                  (v, t) ->
                      say(
                          "#"
                              + id
                              + " done in="
                              + socket.bytesRead()
                              + " out="
                              + socket.bytesWritten()));
        };
    Server server;
    if (tlsServer == null) {
      server = Net.createServer(options, onConnection);
    } else {
      TlsServer t = Tls.createServer(options, tlsServer, onConnection::accept);
      t.onTlsClientError(e -> say("jnet: tls client error " + e.code() + " " + e.getMessage()));
      server = t;
    }
    Endpoint bound = Listening.listen(server, endpoint, this::say);
    say("listening on " + bound);
    String signal = loop.awaitStop();
    ServeLoop.shutDown(server, open);
    return ServeLoop.exitCode(signal);
  }

  /**
   * Joins A (the accepted socket, or null to open A) with a new B. Two sockets are joined at once,
   * on the calling thread (an accepted connection's loop): nothing in that blocks. A stream end (a
   * FIFO's open blocks until its other side appears, and the socket must be connected first) is set
   * up on a thread of {@link #SET_UP}, reused from one connection to the next. (It was {@code
   * CompletableFuture.runAsync}, which on a machine of fewer than three cores starts a new thread
   * per call: a thread per relayed connection, and a fresh allocation buffer for each, which filled
   * 1.6 MB of young heap per connection.)
   *
   * @return completes when both directions are over
   */
  private CompletableFuture<Void> pair(long id, Socket accepted) {
    Traffic traffic = new Traffic(dump, id);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable setUp =
        () -> {
          try {
            Socket a =
                accepted != null ? accepted : (spec.a().isStream() ? null : connect(spec.a()));
            Socket b = spec.b().isStream() ? null : connect(spec.b());
            joined(traffic, a, b, accepted != null).whenComplete((v, t) -> done.complete(null));
          } catch (RuntimeException e) {
            NetException n = NetException.of(dev.jnet.ErrorCode.EIO, "relay", "", e);
            if (accepted != null) {
              failed(id, n, accepted);
            } else {
              firstError.compareAndSet(null, n);
            }
            done.complete(null);
          }
        };
    if (accepted != null && !spec.b().isStream()) { // two sockets: nothing blocks
      setUp.run();
    } else {
      SET_UP.execute(setUp);
    }
    return done;
  }

  /** Joins two sockets, or a socket with a stream end, opened once the socket is connected. */
  private CompletableFuture<Void> joined(Traffic traffic, Socket a, Socket b, boolean append) {
    if (a != null && b != null) {
      return sockets(traffic, a, b);
    }
    Socket socket = a != null ? a : b;
    RelayEnd end = a != null ? spec.b() : spec.a();
    // a FIFO end blocks its open until its other side appears: a refused socket must not wait for
    // that
    if (!isConnected(socket)) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return streams(traffic, socket, end.open(a == null, append), a != null, end);
    } catch (IOException e) {
      failed(traffic.conn(), FileError.of(e).error("open", describe(end)), socket);
      return CompletableFuture.completedFuture(null);
    }
  }

  private boolean isConnected(Socket socket) {
    try {
      socket.connected().toCompletableFuture().get();
      return true;
    } catch (ExecutionException e) {
      // the relay's outcome now: the socket's error event may come after this stage failed
      if (e.getCause() instanceof NetException cause) {
        firstError.compareAndSet(null, cause);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A stream end failed: says so, makes it the relay's outcome, and resets the socket so that its
   * peer sees an error rather than a clean end (what it sent is lost).
   */
  private void failed(long id, NetException e, Socket socket) {
    if (spec.a() instanceof RelayEnd.Listen) {
      say(
          "jnet: #"
              + id
              + " "
              + e.getMessage()); // a single pair reports it as its exit's error line
    }
    firstError.compareAndSet(null, e);
    StdoutSink.reset(socket, e);
  }

  private static String describe(RelayEnd end) {
    if (end instanceof RelayEnd.File f) {
      return f.path().toString();
    }
    if (end instanceof RelayEnd.Fifo f) {
      return f.path().toString();
    }
    return end instanceof RelayEnd.Exec e ? "exec:" + e.command() : "stdio";
  }

  private Socket connect(RelayEnd end) {
    RelayEnd.Connect c = (RelayEnd.Connect) end;
    SocketOptions options =
        SocketOptions.defaults()
            .withNoDelay(true)
            .withAllowHalfOpen(true)
            .withConnectTimeout(spec.connectTimeout());
    Socket s =
        c.tls()
            ? Tls.connect(c.endpoint(), options, tlsClient)
            : Net.createConnection(c.endpoint(), options);
    track(s);
    return s;
  }

  private void track(Socket s) {
    open.add(s);
    s.onError(e -> firstError.compareAndSet(null, e));
    s.onClose(hadError -> open.remove(s));
  }

  private CompletableFuture<Void> sockets(Traffic traffic, Socket a, Socket b) {
    if (!open.contains(a)) {
      track(a);
    }
    forward(traffic, a, b, Direction.OUT);
    forward(traffic, b, a, Direction.IN);
    // a failed end resets the other: its peer must not take a truncated stream for a whole one
    a.onError(e -> StdoutSink.reset(b, e));
    b.onError(e -> StdoutSink.reset(a, e));
    if (spec.a() instanceof RelayEnd.Listen) {
      b.onError(e -> say("jnet: #" + traffic.conn() + " " + e.getMessage()));
    }
    a.resume();
    return CompletableFuture.allOf(
        a.closed().toCompletableFuture().exceptionally(t -> true),
        b.closed().toCompletableFuture().exceptionally(t -> true));
  }

  private void forward(Traffic traffic, Socket from, Socket to, Direction dir) {
    if (!spec.dump()) {
      // nothing to show: the bytes go through as they came, with no copy on the heap, and an end
      // ends the other side
      from.pipe(to);
      return;
    }
    from.onData(
        data -> {
          show(traffic, dir, data);
          if (!to.write(data)) {
            from.pause();
          }
        });
    to.onDrain(from::resume);
    from.onEnd(
        () -> {
          show(traffic, "end", dir == Direction.OUT ? "A ended its side" : "B ended its side");
          to.end();
        });
  }

  private CompletableFuture<Void> streams(
      Traffic traffic, Socket socket, RelayEnd.Streams streams, boolean socketIsA, RelayEnd end) {
    if (!open.contains(socket)) {
      track(socket);
    }
    Direction fromSocket = socketIsA ? Direction.OUT : Direction.IN;
    Direction toSocket = socketIsA ? Direction.IN : Direction.OUT;
    StdoutSink sink =
        StdoutSink.start(
            socket,
            streams.out(),
            describe(end),
            data -> {
              show(traffic, fromSocket, data);
              return data;
            });
    socket.onEnd(sink::finish);
    socket.onClose(hadError -> sink.finish());
    sink.done()
        .whenComplete(
            (stdoutOpen, failure) -> {
              close(streams.out());
              if (failure instanceof NetException e) {
                failed(traffic.conn(), e, socket);
              }
            });
    // an end that sends nothing (file:, a FIFO being written) half-closes only after the peer did,
    // as recv does:
    // ending at once would make a peer without allowHalfOpen close before it sent anything
    ReadableByteChannel in =
        streams.in() == RelayEnd.Empty.INSTANCE ? untilEnd(socket, sink) : streams.in();
    StdinPump.start(
        socket,
        in,
        describe(end),
        new InputDecoder(InputMode.RAW, false),
        data -> show(traffic, toSocket, data),
        () -> {});
    socket.resume();
    return CompletableFuture.allOf(
        socket.closed().toCompletableFuture().exceptionally(t -> true),
        sink.done().toCompletableFuture().exceptionally(t -> false));
  }

  /**
   * EOF once the peer ended and what it sent is written: a failed write resets the peer instead.
   */
  private static ReadableByteChannel untilEnd(Socket socket, StdoutSink sink) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    socket.onEnd(() -> sink.written().thenRun(() -> ended.complete(null)));
    socket.onClose(hadError -> ended.complete(null));
    return new EofWhenDone(ended);
  }

  private static void close(java.nio.channels.Channel c) {
    try {
      c.close();
    } catch (IOException e) {
      // gone already
    }
  }

  private void show(Traffic traffic, Direction dir, ByteBuffer data) {
    if (spec.dump()) {
      ByteBuffer lines = traffic.render(dir, data);
      print(StandardCharsets.UTF_8.decode(lines).toString());
    }
  }

  private void show(Traffic traffic, String event, String detail) {
    if (spec.dump()) {
      print(StandardCharsets.UTF_8.decode(traffic.event(event, detail)).toString());
    }
  }

  private synchronized void print(String text) {
    dumpOut.print(text);
    dumpOut.flush();
  }

  private void say(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }
}
