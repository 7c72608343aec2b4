package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one {@code jnet connect}: stdin to the socket through a {@link StdinPump}, the socket to stdout through a
 * {@link StdoutSink}. The outcome is decided once the socket has closed and stdout has everything, or when the
 * linger bound expires after the end of stdin.
 */
final class ConnectSession {
  private static final int LINGER_EXPIRED = -1;
  private static final long FLUSH_ON_EXPIRY_MILLIS = 1000;

  private final ConnectSpec spec;
  private final PrintWriter err;
  private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
  private volatile NetException error;
  private volatile boolean peerEnded;

  ConnectSession(ConnectSpec spec, PrintWriter err) {
    this.spec = spec;
    this.err = err;
  }

  /**
   * Connects, copies both ways, and waits for the end.
   *
   * @return the exit code
   * @throws NetException if connecting failed or the connection broke
   * @throws CommandFailure if the peer did not end within the linger bound
   */
  int run() throws Exception {
    FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
    QuickExit.register(stdin);
    return run(stdin, new FileOutputStream(FileDescriptor.out).getChannel());
  }

  /**
   * Runs the session over the given channels instead of stdin and stdout.
   *
   * @param in what to send
   * @param out where what arrives goes
   * @return the exit code
   * @throws NetException if connecting failed or the connection broke
   * @throws CommandFailure if the peer did not end within the linger bound
   */
  int run(ReadableByteChannel in, WritableByteChannel out) throws Exception {
    SocketOptions options =
        SocketOptions.defaults().withNoDelay(true).withConnectTimeout(spec.connectTimeout());
    Socket socket = Net.createConnection(spec.endpoint(), options);
    QuickExit.register(socket);
    Traffic traffic = new Traffic(new Dump(spec.format(), spec.format() != Format.RAW && Terminal.colour()), 1);
    boolean dumping = spec.format() != Format.RAW;
    StdoutSink sink = StdoutSink.start(socket, out, data -> traffic.render(Direction.IN, data));
    socket.onEnd(() -> {
      peerEnded = true;
      if (dumping) {
        sink.print(traffic.event("end", "the peer ended its side"));
      }
    });
    socket.onError(e -> error = e);
    socket.onClose(hadError -> sink.finish());
    sink.done().thenAccept(stdoutOpen -> outcome.complete(ExitCodes.OK));
    awaitConnected(socket);
    if (spec.verbose()) {
      err.println("jnet: connected to " + socket.remoteAddress().orElse(spec.endpoint()).address()
          + " from " + socket.localAddress().map(Endpoint::address).orElse("?") + " (" + Net.engine() + ")");
    }
    StdinPump.start(
        socket,
        in,
        new InputDecoder(spec.input(), spec.crlf()),
        data -> {
          if (dumping) {
            sink.print(traffic.render(Direction.OUT, data));
          }
        },
        this::stdinEnded);
    int code = outcome.get();
    if (code == LINGER_EXPIRED) {
      lingerExpired(socket, sink);
    }
    NetException e = error;
    if (e != null && !endedAfterPeer(e)) {
      throw e;
    }
    return code;
  }

  private void awaitConnected(Socket socket) throws Exception {
    try {
      socket.connected().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private void stdinEnded() {
    if (spec.verbose()) {
      err.println("jnet: end of stdin; sent EOF, waiting up to " + DurationConverter.format(spec.linger())
          + " for the peer's");
    }
    outcome.completeOnTimeout(LINGER_EXPIRED, spec.linger().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void lingerExpired(Socket socket, StdoutSink sink) throws Exception {
    socket.pause();
    sink.finish();
    try {
      sink.done().toCompletableFuture().get(FLUSH_ON_EXPIRY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException ignored) {
      // stdout is stuck; report the expiry anyway
    }
    throw new CommandFailure(ExitCodes.IDLE_TIMEOUT,
        "linger " + DurationConverter.format(spec.linger()) + " expired: "
            + spec.endpoint().address() + " did not end its side after the end of stdin; the output may be incomplete");
  }

  /**
   * Tells whether an error only hit what we sent after the peer had ended the conversation: with Node's {@code
   * allowHalfOpen} false our side ends when the peer's does, and a stdin chunk racing that end fails with {@code
   * EPIPE}. The peer finished and everything it sent was printed, so that is a clean end.
   */
  private boolean endedAfterPeer(NetException e) {
    return peerEnded
        && (e.code() == ErrorCode.EPIPE || e.code() == ErrorCode.ERR_STREAM_WRITE_AFTER_END);
  }
}
