package dev.jnet;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A duplex byte stream between two processes, with the events and rules of Node's {@code
 * net.Socket}.
 *
 * <h2>Lifecycle</h2>
 *
 * <ol>
 *   <li>A client socket is {@link ReadyState#OPENING} until {@code connect} then {@code ready}; or
 *       it gets {@code error} ({@code ECONNREFUSED}, {@code ENOENT}, {@code ETIMEDOUT}, ...) then
 *       {@code close(true)}.
 *   <li>{@code data}* then {@code end} at most once (the peer finished sending) then {@code
 *       close(hadError)} exactly once. {@code error} is always followed by {@code close(true)};
 *       there is at most one {@code error}.
 *   <li>With {@code allowHalfOpen} false (the default) the socket ends its own side when the peer's
 *       {@code end} arrives. With true it may keep writing until it calls {@link #end()}; {@code
 *       close} comes once both directions have finished.
 *   <li>{@link #write} returns false once more than {@code highWaterMark} bytes are buffered;
 *       {@code drain} fires when the buffer empties. A writer that ignores this reaches {@code
 *       maxBufferedBytes} and the socket is destroyed with {@code ERR_BUFFER_FULL}.
 *   <li>Received data waits in the socket until something consumes it: an {@link #onData} or {@link
 *       #onText} listener, or {@link #pipe}. While unconsumed data exceeds the high-water mark, or
 *       while {@link #pause() paused}, nothing more is read from the kernel, so the sender feels
 *       backpressure. {@code end} follows the last consumed byte.
 *   <li>Nothing is delivered after {@code close}.
 * </ol>
 *
 * <p>One-time events ({@code connect}, {@code ready}, {@code end}, {@code error}, {@code close})
 * are remembered: a listener registered after one happened is called at once, on the I/O thread, so
 * that a listener registered right after {@link Net#createConnection} never misses them.
 *
 * <h2>Threading</h2>
 *
 * Events of one socket arrive in order, one at a time, on its I/O thread, never under a jnet lock;
 * listeners must not block. Every method may be called from any thread; calls are carried out on
 * the I/O thread in the order each calling thread made them.
 */
public interface Socket {

  /**
   * Writes bytes; the buffer's remaining bytes are copied, so the caller may reuse it at once.
   *
   * @param data the bytes to send
   * @return false if the buffered bytes now exceed the high-water mark: wait for {@code drain}
   *     before writing more
   */
  boolean write(ByteBuffer data);

  /**
   * Writes bytes and reports the outcome.
   *
   * @param data the bytes to send (copied)
   * @param callback told once, on the I/O thread, when the bytes reached the kernel or failed
   * @return false if the buffered bytes now exceed the high-water mark
   */
  boolean write(ByteBuffer data, WriteCallback callback);

  /**
   * Writes bytes.
   *
   * @param data the bytes to send (copied)
   * @return false if the buffered bytes now exceed the high-water mark
   */
  boolean write(byte[] data);

  /**
   * Writes a string encoded in UTF-8.
   *
   * @param data the text to send
   * @return false if the buffered bytes now exceed the high-water mark
   */
  boolean write(String data);

  /**
   * Ends the write side: flushes everything written before, then sends EOF (a FIN). The socket
   * stays readable until the peer ends too. Idempotent.
   */
  void end();

  /**
   * Writes the data, then ends the write side.
   *
   * @param data the last bytes to send (copied)
   */
  void end(ByteBuffer data);

  /**
   * Writes the text in UTF-8, then ends the write side.
   *
   * @param data the last text to send
   */
  void end(String data);

  /**
   * Closes the socket at once without error: pending writes fail, only {@code close(false)}
   * follows. Idempotent.
   */
  void destroy();

  /**
   * Closes the socket at once with an error: {@code error(cause)} then {@code close(true)}.
   *
   * @param cause the error to report
   */
  void destroy(NetException cause);

  /**
   * Closes the socket with a reset (TCP RST): the peer gets {@code ECONNRESET}. Only on transports
   * with the {@code RESET} capability.
   *
   * @throws UnsupportedOperationException on transports that cannot reset
   */
  void resetAndDestroy();

  /** Stops delivering data and reading from the kernel; the sender feels backpressure. */
  void pause();

  /** Resumes after {@link #pause()}; buffered data is delivered first. */
  void resume();

  /**
   * Tells whether the socket is paused.
   *
   * @return true between {@link #pause()} and {@link #resume()}
   */
  boolean isPaused();

  /**
   * Sends everything this socket receives to {@code destination}, without copying it on the heap,
   * pausing this socket while the destination is above its high-water mark; this socket's {@code
   * end} ends the destination.
   *
   * <p>Between two plain TCP sockets of the epoll engine that share an I/O thread, with nothing
   * else consuming this socket (no data or text listener, not paused, no other pipe), the kernel's
   * {@code splice(2)} moves the bytes through a pipe of the destination's, without them entering
   * the JVM; anywhere else (NIO, Unix sockets, TLS, {@code pipe:}) they are copied. Both paths
   * count {@link #bytesRead()} and {@link #bytesWritten()}, keep the order, the end and the idle
   * timers, and honour backpressure. Two differences while spliced: a data or text listener or
   * another pipe added later takes effect within 4 MiB (the splice in flight cannot be stopped
   * sooner; {@code pause()} stops reading at the next splice, at most one kernel pipe of 64 KiB);
   * and a destination that fails or is destroyed destroys this socket too, with the destination's
   * error ({@code ERR_SOCKET_CLOSED} when it had none), where a copying pipe would leave it open.
   * {@code -Djnet.splice=false} turns splicing off.
   *
   * @param destination where the bytes go; may be this socket (an echo)
   * @return the destination
   */
  Socket pipe(Socket destination);

  /**
   * Sets the idle timeout: {@code timeout} fires after {@code idle} without reads or writes, once
   * per idle period. It does not close the socket.
   *
   * @param idle the idle time; zero disables
   * @return this socket
   */
  Socket setTimeout(Duration idle);

  /**
   * Turns Nagle's algorithm off (true) or on; a no-op on transports without it.
   *
   * @param noDelay true to send small writes at once
   * @return this socket
   */
  Socket setNoDelay(boolean noDelay);

  /**
   * Turns TCP keep-alive on or off; a no-op on transports without it.
   *
   * @param enable whether to send keep-alive probes
   * @param initialDelay idle time before the first probe (whole seconds; zero keeps the OS's)
   * @return this socket
   */
  Socket setKeepAlive(boolean enable, Duration initialDelay);

  /**
   * Decodes received bytes for {@link #onText} listeners with a streaming decoder: a character
   * split across reads is delivered whole, once its last byte has arrived.
   *
   * @param charset the encoding
   * @return this socket
   */
  Socket setEncoding(Charset charset);

  /**
   * Returns the bytes received so far.
   *
   * @return the count; kept after close
   */
  long bytesRead();

  /**
   * Returns the bytes accepted by {@code write} so far (whether or not they have reached the wire).
   *
   * @return the count; kept after close
   */
  long bytesWritten();

  /**
   * Returns the bytes written but not yet handed to the kernel.
   *
   * @return the buffered byte count
   */
  long bufferSize();

  /**
   * Returns the local address once connected.
   *
   * @return the local endpoint, empty before connect
   */
  Optional<Endpoint> localAddress();

  /**
   * Returns the peer's address once connected.
   *
   * @return the remote endpoint, empty before connect
   */
  Optional<Endpoint> remoteAddress();

  /**
   * Returns the peer process's credentials on Unix domain sockets.
   *
   * @return the credentials, empty on other transports or before connect
   */
  Optional<PeerCredentials> peerCredentials();

  /**
   * Returns which directions are open.
   *
   * @return the state
   */
  ReadyState readyState();

  /**
   * Tells whether {@code close} has been emitted or is about to be.
   *
   * @return true once the socket is destroyed
   */
  boolean isDestroyed();

  /**
   * Completes when the socket is connected, or fails with the connect error.
   *
   * @return the stage; already complete for accepted sockets
   */
  CompletionStage<Socket> connected();

  /**
   * Completes when the socket has closed.
   *
   * @return the stage, completing with {@code hadError}
   */
  CompletionStage<Boolean> closed();

  /**
   * Lets the JVM exit while this socket is open ({@code unref}), as Node's {@code socket.unref()}.
   *
   * @return this socket
   */
  Socket unref();

  /**
   * Keeps the JVM alive while this socket is open (the default).
   *
   * @return this socket
   */
  Socket ref();

  /**
   * Listens for {@code connect}: the connection is established.
   *
   * @param listener called once
   * @return the registration
   */
  Registration onConnect(Runnable listener);

  /**
   * Listens for {@code ready}: emitted right after {@code connect}.
   *
   * @param listener called once
   * @return the registration
   */
  Registration onReady(Runnable listener);

  /**
   * Listens for {@code data}. The buffer belongs to the listener; jnet never reuses it.
   *
   * @param listener called per chunk received
   * @return the registration
   */
  Registration onData(Consumer<ByteBuffer> listener);

  /**
   * Listens for decoded text (see {@link #setEncoding}; UTF-8 unless set).
   *
   * @param listener called per decoded chunk, never with a broken character
   * @return the registration
   */
  Registration onText(Consumer<String> listener);

  /**
   * Listens for {@code end}: the peer finished sending and every byte before it was delivered.
   *
   * @param listener called at most once
   * @return the registration
   */
  Registration onEnd(Runnable listener);

  /**
   * Listens for {@code drain}: the write buffer emptied after a {@code write} returned false.
   *
   * @param listener called each time
   * @return the registration
   */
  Registration onDrain(Runnable listener);

  /**
   * Listens for {@code timeout}: the socket was idle for the {@link #setTimeout} duration.
   *
   * @param listener called once per idle period
   * @return the registration
   */
  Registration onTimeout(Runnable listener);

  /**
   * Listens for {@code error}; {@code close(true)} always follows.
   *
   * @param listener called at most once
   * @return the registration
   */
  Registration onError(Consumer<NetException> listener);

  /**
   * Listens for {@code close}.
   *
   * @param listener called exactly once, with whether the socket closed because of an error
   * @return the registration
   */
  Registration onClose(Consumer<Boolean> listener);
}
