package dev.jnet.cli.session;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.cli.dump.Direction;
import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.spec.FramingMode;
import dev.jnet.cli.spec.InputMode;
import dev.jnet.cli.system.Terminal;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One socket talking with stdin and stdout ({@code connect}, {@code listen} without {@code -k}):
 * stdin to the socket through a {@link StdinPump}, the socket to stdout through a {@link
 * StdoutSink}, shown in the chosen format, optionally framed. The outcome is decided once the
 * socket has closed and stdout has everything, or when the linger bound expires after the end of
 * stdin.
 */
public final class Conversation {
  private static final int LINGER_EXPIRED = -1;
  private static final long FLUSH_ON_EXPIRY_MILLIS = 1000;

  /** How long the input must be quiet, once the peer ended, before our side ends too. */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * How to converse.
   *
   * @param linger how long to wait for the peer's end after the end of stdin
   * @param format how to show the traffic
   * @param input how stdin is typed
   * @param crlf whether to send line ends as CRLF
   * @param framing a message per line, or null for a byte stream
   * @param verbose whether to say more on stderr
   */
  public record Settings(
      Duration linger,
      Format format,
      InputMode input,
      boolean crlf,
      FramingMode framing,
      boolean verbose) {}

  private final Settings settings;
  private final PrintWriter err;
  private final String peer;
  private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
  private final Traffic traffic;
  private final MessageLines lines;
  private Socket socket;
  private StdoutSink sink;
  private volatile NetException error;
  private volatile boolean peerEnded;
  private volatile boolean endedQuiet;
  private volatile boolean endWhenQuiet;
  private volatile StdinPump pump;
  private final CompletableFuture<Void> peerEnd = new CompletableFuture<>();

  public Conversation(Settings settings, PrintWriter err, long conn, String peer) {
    this.settings = settings;
    this.err = err;
    this.peer = peer;
    Dump dump = new Dump(settings.format(), settings.format() != Format.RAW && Terminal.colour());
    this.traffic = new Traffic(dump, conn);
    this.lines =
        settings.framing() == null
            ? null
            : new MessageLines(settings.framing().framing(), dump, conn);
  }

  private boolean dumping() {
    return settings.format() != Format.RAW;
  }

  /**
   * Registers the listeners on the socket: call it before the socket can deliver data (on a paused
   * socket, or right after creating it).
   *
   * @param socket the connection
   * @param out where what arrives goes
   */
  public void attach(Socket socket, WritableByteChannel out) {
    this.socket = socket;
    sink = StdoutSink.start(socket, out, "stdout", this::received);
    socket.onEnd(
        () -> {
          peerEnded = true;
          if (endWhenQuiet) {
            endOnceTheInputIsQuiet();
          }
          // recv answers with its end only once what the peer sent is on stdout: a failed write
          // resets instead
          sink.written().thenRun(() -> peerEnd.complete(null));
          if (dumping()) {
            sink.print(traffic.event("end", "the peer ended its side"));
          }
        });
    socket.onError(e -> error = e);
    socket.onClose(
        hadError -> {
          peerEnd.complete(null);
          sink.finish();
        });
    sink.done()
        .whenComplete(
            (stdoutOpen, failure) -> {
              if (failure != null) {
                outcome.completeExceptionally(failure);
              } else {
                outcome.complete(ExitCodes.OK);
              }
            });
  }

  /**
   * Applies a server's frame deadlines ({@code listen --framing}); call it right after {@link
   * #attach}.
   *
   * @param firstFrameTimeout the deadline for the first complete message, zero for none
   * @param frameTimeout the deadline for each frame once started, zero for none
   */
  public void watchFrames(Duration firstFrameTimeout, Duration frameTimeout) {
    if (lines != null) {
      lines.watch(socket, firstFrameTimeout, frameTimeout);
    }
  }

  /**
   * An input with nothing to send that ends when the peer ends its side (or the socket closes):
   * {@code recv} half-closes only after the peer did.
   *
   * @return the input
   */
  public ReadableByteChannel untilPeerEnds() {
    return new EofWhenDone(peerEnd);
  }

  private ByteBuffer received(ByteBuffer data) {
    return traffic.renderIncoming(lines, socket, data);
  }

  private void sent(ByteBuffer data) {
    if (lines != null) {
      sink.print(lines.shownOutgoing());
    } else if (dumping()) {
      sink.print(traffic.render(Direction.OUT, data));
    }
  }

  /**
   * Sends stdin and waits for the end.
   *
   * @param in what to send
   * @return the exit code
   * @throws NetException if the connection broke
   * @throws CommandFailure if the peer did not end within the linger bound
   */
  public int run(ReadableByteChannel in) throws Exception {
    send(in);
    return await();
  }

  /**
   * Starts sending stdin; what is read before the socket connects waits in the socket's queue, so a
   * one-shot client reads its input while the connection is being made.
   *
   * @param in what to send
   */
  public void send(ReadableByteChannel in) {
    send(in, "stdin");
  }

  /**
   * Starts sending an input other than stdin.
   *
   * @param in what to send
   * @param subject what it is, for an error message: a path
   */
  public void send(ReadableByteChannel in, String subject) {
    pump =
        StdinPump.start(
            socket,
            in,
            subject,
            new InputDecoder(settings.input(), settings.crlf(), lines),
            this::sent,
            this::stdinEnded);
  }

  /**
   * Makes a half-open client end its side once the peer ended and the input is done or quiet
   * ({@code connect}): call it before {@link #attach}.
   */
  public void endWhenThePeerEndedAndTheInputIsQuiet() {
    endWhenQuiet = true;
  }

  /**
   * The peer ended its side; the socket is half-open, so what is still coming from the input keeps
   * going out: a file or a producing pipe is sent to its end, then the socket ends. An input that
   * is quiet (a terminal nobody types into) ends our side at once, as a connection whose peer ended
   * does in Node.
   */
  private void endOnceTheInputIsQuiet() {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!socket.isDestroyed()) {
                  StdinPump p = pump;
                  if (p != null && p.finished()) {
                    return;
                  }
                  if (p != null && p.quietFor(QUIET_NANOS)) {
                    endedQuiet = true;
                    p.stop();
                    socket.end();
                    return;
                  }
                  Thread.sleep(10); // polls the pump's state; bounded by the socket's close
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "jnet-peer-ended");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits for the end, once {@link #send} has started.
   *
   * @return the exit code
   * @throws NetException if the connection broke, or stdout failed ({@code write ENOSPC stdout:
   *     ...})
   * @throws CommandFailure if the peer did not end within the linger bound
   */
  public int await() throws Exception {
    int code;
    try {
      code = outcome.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    if (code == LINGER_EXPIRED) {
      lingerExpired();
    }
    NetException e = error;
    if (e != null && !endedAfterPeer(e)) {
      throw e;
    }
    return code;
  }

  private void stdinEnded() {
    if (settings.verbose()) {
      err.println(
          "jnet: end of stdin; sent EOF, waiting up to "
              + DurationConverter.format(settings.linger())
              + " for the peer's");
      err.flush();
    }
    outcome.completeOnTimeout(LINGER_EXPIRED, settings.linger().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void lingerExpired() throws Exception {
    socket.pause();
    sink.finish();
    try {
      sink.done().toCompletableFuture().get(FLUSH_ON_EXPIRY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException ignored) {
      // stdout is stuck or failed; report the expiry anyway
    }
    throw new CommandFailure(
        ExitCodes.LINGER_EXPIRED,
        "linger "
            + DurationConverter.format(settings.linger())
            + " expired: "
            + peer
            + " did not end its side after the end of stdin; the output may be incomplete");
  }

  /**
   * Tells whether an error only hit what the input produced after our side ended because the peer
   * had ended and the input was quiet: nothing read before was lost, and everything the peer sent
   * was printed, so that is a clean end. An {@code EPIPE} while the input was still flowing lost
   * bytes: it is reported.
   */
  private boolean endedAfterPeer(NetException e) {
    return peerEnded
        && endedQuiet
        && (e.code() == ErrorCode.EPIPE || e.code() == ErrorCode.ERR_STREAM_WRITE_AFTER_END);
  }
}
