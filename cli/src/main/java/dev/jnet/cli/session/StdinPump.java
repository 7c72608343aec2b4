package dev.jnet.cli.session;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.cli.spec.FileError;
import dev.jnet.cli.spec.InputMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Copies an input channel into a socket on a thread of its own, honouring backpressure: when {@code
 * write} returns false it reads nothing more until {@code drain}. At the end of the input it ends
 * the socket's write side and runs the end action. A read that fails resets the socket (its peer
 * must not take a truncated stream for a whole one) with an error naming the errno: {@code read
 * EISDIR stdin: is a directory}.
 */
public final class StdinPump {
  private static final int CHUNK = 64 * 1024;

  private final Socket socket;
  private final ReadableByteChannel in;
  private final String subject;
  private final Runnable atEnd;
  private final InputDecoder decoder;
  private final Consumer<ByteBuffer> tap;
  private final Semaphore drained = new Semaphore(0);
  private volatile boolean stopped;
  private volatile boolean finished;
  // System.nanoTime() when the pump started waiting in read() with nothing of its own unsent; 0
  // while it is not
  private volatile long waitingSince;

  private StdinPump(
      Socket socket,
      ReadableByteChannel in,
      String subject,
      InputDecoder decoder,
      Consumer<ByteBuffer> tap,
      Runnable atEnd) {
    this.socket = socket;
    this.in = in;
    this.subject = subject;
    this.decoder = decoder;
    this.tap = tap;
    this.atEnd = atEnd;
  }

  /**
   * Starts copying {@code in} to {@code socket}.
   *
   * @param socket the destination
   * @param in the source, read by the pump's thread only
   * @param subject what {@code in} is, for the error message: {@code stdin}, a path
   * @param atEnd run on the pump's thread after the end of the input was sent ({@code end()}
   *     called)
   * @return the running pump
   */
  public static StdinPump start(
      Socket socket, ReadableByteChannel in, String subject, Runnable atEnd) {
    return start(socket, in, subject, new InputDecoder(InputMode.RAW, false), b -> {}, atEnd);
  }

  /**
   * Starts copying {@code in} to {@code socket}, decoding what is read and showing what is sent.
   *
   * @param socket the destination
   * @param in the source, read by the pump's thread only
   * @param subject what {@code in} is, for the error message: {@code stdin}, a path
   * @param decoder turns what is read into what is sent
   * @param tap sees each chunk just before it is written (for a dump); must not keep or change it
   * @param atEnd run on the pump's thread after the end of the input was sent ({@code end()}
   *     called)
   * @return the running pump
   */
  public static StdinPump start(
      Socket socket,
      ReadableByteChannel in,
      String subject,
      InputDecoder decoder,
      Consumer<ByteBuffer> tap,
      Runnable atEnd) {
    StdinPump pump = new StdinPump(socket, in, subject, decoder, tap, atEnd);
    socket.onDrain(pump.drained::release);
    socket.onClose(hadError -> pump.stop());
    Thread t = new Thread(pump::copy, "jnet-stdin");
    t.setDaemon(true);
    t.start();
    return pump;
  }

  /**
   * Tells whether the input has been quiet for a while: the pump has been waiting in {@code read}
   * for at least this long with everything it read handed to the socket (a terminal nobody types
   * into; never a file, nor a pipe that is still producing).
   *
   * @param nanos how long
   * @return true if quiet that long
   */
  public boolean quietFor(long nanos) {
    long since = waitingSince;
    return since != 0 && System.nanoTime() - since >= nanos;
  }

  /**
   * Tells whether the whole input was handed to the socket and the socket was ended.
   *
   * @return true after the end of the input
   */
  public boolean finished() {
    return finished;
  }

  /** Stops sending: nothing more read from the input is written. */
  public void stop() {
    stopped = true;
    drained.release();
  }

  private void copy() {
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    try {
      while (!stopped) {
        buf.clear();
        waitingSince = System.nanoTime();
        int n = in.read(buf);
        waitingSince = 0;
        if (n < 0) {
          ByteBuffer last = decoder.finish();
          if (last.hasRemaining()) {
            tap.accept(last);
            socket.write(last);
          }
          socket.end();
          finished = true;
          atEnd.run();
          return;
        }
        buf.flip();
        ByteBuffer data = decoder.decode(buf);
        if (data.hasRemaining() && !stopped) {
          tap.accept(data);
          if (!socket.write(data)) {
            awaitDrain();
          }
        }
      }
    } catch (IOException e) {
      if (!stopped) {
        StdoutSink.reset(socket, FileError.of(e).error("read", subject));
      }
    } catch (IllegalArgumentException e) {
      socket.destroy(
          NetException.of(ErrorCode.EINVAL, "read", subject + ": " + e.getMessage(), null));
    }
  }

  private void awaitDrain() {
    try {
      while (!stopped && !drained.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        if (socket.isDestroyed()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }
}
