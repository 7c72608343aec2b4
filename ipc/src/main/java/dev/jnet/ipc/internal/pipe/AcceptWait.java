package dev.jnet.ipc.internal.pipe;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client's wait, on its loop (a loop engine's: epoll or a selector), for the accept byte of a
 * pair it announced with both of its own ends open ({@link PipeConnector#announce} by an engine
 * that opens without threads; protocol section 3a): no thread blocks in {@code open(2)}. The read
 * end of {@code down} is reported readable when the byte comes; the server wrote it once it held
 * both of its ends, so the connection is then established. Every {@value OpenWatchdog#TICK_MS} ms
 * the wait checks the announcement's abort (the connect timed out, the channel closed, the server
 * stopped listening), as a blocked open's watchdog would. An established connection takes the read
 * end over registered as it is ({@link FifoEnd#keepHandle}).
 *
 * <p>Threading: created and driven on the client channel's loop, where the callbacks run.
 */
final class AcceptWait {
  private final PipeConnector.Announced an;
  private final Consumer<PipeConnector.Connection> done;
  private final Consumer<Throwable> failed;
  private final FifoHandle in;
  private ScheduledFuture<?> ticks;
  private boolean finished;

  private AcceptWait(
      FifoEngine engine,
      PipeConnector.Announced an,
      Consumer<PipeConnector.Connection> done,
      Consumer<Throwable> failed) {
    this.an = an;
    this.done = done;
    this.failed = failed;
    this.in = engine.handle(an.in(), false, true, new Listener());
  }

  /**
   * Starts waiting; exactly one of the callbacks is called, on the loop. The connection then owns
   * the ends; a failure has closed them and unlinked the pair.
   *
   * @param loop the client channel's loop, which this is called on
   * @param engine the loop's engine
   * @param an the announced pair, with both of the client's ends open
   * @param done told the connection
   * @param failed told why there is none
   */
  static void start(
      IoEventLoop loop,
      FifoEngine engine,
      PipeConnector.Announced an,
      Consumer<PipeConnector.Connection> done,
      Consumer<Throwable> failed) {
    AcceptWait w = new AcceptWait(engine, an, done, failed);
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
    if (cause != null) {
      in.close();
      Fifos.close(an.out());
      Fifos.delete(an.up(), an.down());
      failed.accept(cause);
    } else {
      an.in().keepHandle(in); // the connection's engine takes the registration over
      done.accept(PipeConnector.established(an));
    }
  }

  /** Hears the read end. */
  private final class Listener implements FifoHandle.Listener {
    @Override
    public void ready(boolean hangUp) {
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
