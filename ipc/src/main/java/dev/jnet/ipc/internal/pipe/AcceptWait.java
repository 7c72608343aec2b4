package dev.jnet.ipc.internal.pipe;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoOps;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client's wait, on its epoll loop, for the accept byte of a pair it announced with both of its
 * own ends open ({@link PipeConnector#announce} with {@code openEnds}; protocol section 3a): no
 * thread blocks in {@code open(2)}. The read end of {@code down} reports {@code EPOLLIN} when the
 * byte comes; the server wrote it once it held both of its ends, so the connection is then
 * established. Every {@value OpenWatchdog#TICK_MS} ms the wait checks the announcement's abort (the
 * connect timed out, the channel closed, the server stopped listening), as a blocked open's
 * watchdog would.
 *
 * <p>Threading: created and driven on the client channel's loop, where the callbacks run.
 */
final class AcceptWait {
  private static final EpollIoOps IN = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET);

  private final PipeConnector.Announced an;
  private final Consumer<PipeConnector.Connection> done;
  private final Consumer<Throwable> failed;
  private final EpollFifoHandle in;
  private ScheduledFuture<?> ticks;
  private boolean finished;

  private AcceptWait(
      PipeConnector.Announced an,
      Consumer<PipeConnector.Connection> done,
      Consumer<Throwable> failed) {
    this.an = an;
    this.done = done;
    this.failed = failed;
    this.in = new EpollFifoHandle(an.in(), IN, new Listener());
  }

  /**
   * Starts waiting; exactly one of the callbacks is called, on the loop. The connection then owns
   * the ends; a failure has closed them and unlinked the pair.
   *
   * @param loop the client channel's loop, which this is called on
   * @param an the announced pair, with both of the client's ends open
   * @param done told the connection
   * @param failed told why there is none
   */
  static void start(
      IoEventLoop loop,
      PipeConnector.Announced an,
      Consumer<PipeConnector.Connection> done,
      Consumer<Throwable> failed) {
    AcceptWait w = new AcceptWait(an, done, failed);
    w.ticks =
        loop.scheduleAtFixedRate(
            w::tick, OpenWatchdog.TICK_MS, OpenWatchdog.TICK_MS, TimeUnit.MILLISECONDS);
    w.in.register(loop);
  }

  private void tick() {
    if (!finished) {
      IOException f = an.abort().check();
      if (f != null) {
        finish(f);
      }
    }
  }

  /** The read end reported: the accept byte, or a server that left without it. */
  private void readable() {
    if (finished) {
      return;
    }
    String ep = an.address().endpoint().address();
    int n;
    try {
      n = an.in().readAcceptByte();
    } catch (java.net.ProtocolException e) {
      finish(
          NetException.withMessage(
              ErrorCode.EPROTO,
              "connect",
              ep,
              "connect EPROTO " + ep + " (" + e.getMessage() + ")"));
      return;
    } catch (IOException e) {
      finish(e);
      return;
    }
    if (n > 0) {
      finish(null);
    } else if (n < 0) {
      finish(
          NetException.withMessage(
              ErrorCode.ECONNRESET,
              "connect",
              ep,
              "connect ECONNRESET " + ep + " (the server closed before it accepted)"));
    } // else EAGAIN: not yet
  }

  /** Ends the wait once, with {@code cause} or (null) an established connection. */
  private void finish(Throwable cause) {
    finished = true;
    ticks.cancel(false);
    in.release();
    if (cause != null) {
      Fifos.close(an.out());
      Fifos.close(an.in());
      Fifos.delete(an.up(), an.down());
      failed.accept(cause);
    } else {
      done.accept(PipeConnector.established(an));
    }
  }

  /** Hears the read end. */
  private final class Listener implements EpollFifoHandle.Listener {
    @Override
    public void ready(EpollIoOps ops) {
      readable();
    }

    @Override
    public void registrationFailed(Throwable cause) {
      if (!finished) {
        finish(cause);
      }
    }
  }
}
