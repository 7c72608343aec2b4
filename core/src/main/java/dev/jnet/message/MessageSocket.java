package dev.jnet.message;

import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.Socket;
import dev.jnet.WriteCallback;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A connection that carries whole messages instead of bytes: a {@link Socket} with a {@link
 * Framing}.
 *
 * <pre>{@code
 * MessageSocket ms = MessageSocket.wrap(Net.createConnection(Endpoint.parse("unix:/run/app.sock")),
 *     Framing.lengthPrefixed());
 * ms.onMessage(m -> System.out.println(StandardCharsets.UTF_8.decode(m)));
 * ms.send("hello");
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <ol>
 *   <li>{@code message}* then {@code end} at most once then {@code close(hadError)} exactly once,
 *       as the underlying socket's {@code data}/{@code end}/{@code close}. Nothing is delivered
 *       after {@code close}.
 *   <li>A message is delivered whole or not at all. A frame above the framing's limit, or with a
 *       corrupt length, destroys the connection with {@code ERR_FRAME_TOO_LARGE}; a peer that ends
 *       inside a frame destroys it with {@code ERR_FRAME_TRUNCATED}. Both arrive as {@code error}
 *       then {@code close(true)}; messages before the bad frame have been delivered.
 *   <li>A decoder that fails in any other way (a bug in a user {@link Framing}, an {@code
 *       OutOfMemoryError}) has lost its place in the stream: the connection is destroyed with
 *       {@code EIO} ({@code ENOMEM} for {@code OutOfMemoryError}) and never reads on, so no later
 *       byte is taken for a frame boundary it is not.
 *   <li>A message listener that throws a {@code RuntimeException} is logged (a warning on the
 *       {@code dev.jnet} logger) and costs nothing else: the other listeners still get that
 *       message, later messages follow in order, and the framing stays in step. A listener that
 *       throws an {@code Error} destroys the connection with {@code ERR_UNHANDLED_ERROR} ({@code
 *       ENOMEM} for {@code OutOfMemoryError}): {@code error} then {@code close(true)}.
 *   <li>The connections of a {@link MessageServer} also have deadlines ({@link
 *       MessageServerOptions}): no complete message within {@code firstFrameTimeout} of accept, or
 *       a frame not completed within {@code frameTimeout} of its first byte, destroys the
 *       connection with {@code ETIMEDOUT}.
 *   <li>With a {@link Heartbeat} on, a peer silent for its timeout destroys the connection with
 *       {@code ETIMEDOUT}; heartbeats are never delivered as messages, and an empty message cannot
 *       be sent.
 *   <li>Received bytes wait in the socket until the first {@link #onMessage} listener is
 *       registered, so a listener registered right after {@link #wrap} misses nothing.
 *   <li>{@link #send} follows the socket's backpressure: it returns false once more than {@code
 *       highWaterMark} bytes are buffered; wait for {@code drain} before sending more.
 * </ol>
 *
 * <h2>Threading</h2>
 *
 * Events of one socket arrive in order, one at a time, on its I/O thread, never under a jnet lock;
 * listeners must not block. Every method may be called from any thread; messages sent from one
 * thread leave in that order.
 */
public interface MessageSocket {

  /**
   * Wraps a socket. The socket should have no {@code onData} listener of its own: bytes it consumes
   * are lost to the framing.
   *
   * @param socket the connection (connecting, connected or accepted)
   * @param framing the format of both directions
   * @return the message socket
   */
  static MessageSocket wrap(Socket socket, Framing framing) {
    return new DefaultMessageSocket(socket, framing, Heartbeat.off());
  }

  /**
   * Wraps a socket with a heartbeat: this end sends an empty frame when idle and destroys the
   * connection with {@code ETIMEDOUT} ({@code error} then {@code close(true)}) when the peer has
   * sent no byte for the heartbeat's timeout. Turn it on at both ends; see {@link Heartbeat} for
   * the wire format and the bounds.
   *
   * @param socket the connection (connecting, connected or accepted)
   * @param framing the format of both directions
   * @param heartbeat the heartbeat, or {@link Heartbeat#off()}
   * @return the message socket
   * @throws IllegalArgumentException if the heartbeat is on and the framing cannot encode an empty
   *     message
   */
  static MessageSocket wrap(Socket socket, Framing framing, Heartbeat heartbeat) {
    return new DefaultMessageSocket(socket, framing, heartbeat);
  }

  /**
   * Sends one message as one frame.
   *
   * @param message the payload (its remaining bytes, copied; the caller may reuse the buffer at
   *     once)
   * @return false if the buffered bytes now exceed the high-water mark: wait for {@code drain}
   * @throws IllegalArgumentException if the framing cannot carry the message (too long, a line feed
   *     in a line), or the message is empty while a {@link Heartbeat} is on
   */
  boolean send(ByteBuffer message);

  /**
   * Sends one message and reports the outcome.
   *
   * @param message the payload (copied)
   * @param callback told once, on the I/O thread, when the frame reached the kernel or failed
   * @return false if the buffered bytes now exceed the high-water mark
   */
  boolean send(ByteBuffer message, WriteCallback callback);

  /**
   * Sends the UTF-8 bytes of a string as one message.
   *
   * @param message the text
   * @return false if the buffered bytes now exceed the high-water mark
   */
  boolean send(String message);

  /** Flushes what was sent, then ends the write side (see {@link Socket#end()}). */
  void end();

  /** Closes at once without error (see {@link Socket#destroy()}). */
  void destroy();

  /**
   * Closes at once with an error: {@code error(cause)} then {@code close(true)}.
   *
   * @param cause the error
   */
  void destroy(NetException cause);

  /** Stops delivering messages and reading; the sender feels backpressure. */
  void pause();

  /** Resumes after {@link #pause()}. */
  void resume();

  /**
   * Returns the socket underneath.
   *
   * @return the socket; empty for channels that are not jnet sockets (such as {@link NodeChannel})
   */
  Optional<Socket> socket();

  /**
   * Returns the framing.
   *
   * @return the framing of both directions
   */
  Framing framing();

  /**
   * Stores one application object with this connection (per-connection state).
   *
   * @param attachment the object; replaces the previous one
   */
  void attach(Object attachment);

  /**
   * Returns the object stored by {@link #attach}.
   *
   * @return the attachment, empty if none
   */
  Optional<Object> attachment();

  /**
   * Returns the bytes written but not yet handed to the kernel.
   *
   * @return the buffered byte count
   */
  long bufferSize();

  /**
   * Tells whether the connection is closed or closing.
   *
   * @return true once destroyed
   */
  boolean isDestroyed();

  /**
   * Completes when the connection has closed.
   *
   * @return the stage, completing with {@code hadError}
   */
  CompletionStage<Boolean> closed();

  /**
   * Listens for messages. The buffer belongs to the listener. A listener that throws a {@code
   * RuntimeException} is logged and loses nothing else; one that throws an {@code Error} destroys
   * the connection with an error (see the lifecycle above).
   *
   * @param listener called once per message, in order
   * @return the registration
   */
  Registration onMessage(Consumer<ByteBuffer> listener);

  /**
   * Listens for {@code drain}.
   *
   * @param listener called each time the write buffer empties after {@link #send} returned false
   * @return the registration
   */
  Registration onDrain(Runnable listener);

  /**
   * Listens for {@code end}: the peer finished sending, after its last whole message.
   *
   * @param listener called at most once
   * @return the registration
   */
  Registration onEnd(Runnable listener);

  /**
   * Listens for {@code error}, including {@code ERR_FRAME_TOO_LARGE} and {@code
   * ERR_FRAME_TRUNCATED}.
   *
   * @param listener called at most once
   * @return the registration
   */
  Registration onError(Consumer<NetException> listener);

  /**
   * Listens for {@code close}.
   *
   * @param listener called exactly once, with whether an error closed the connection
   * @return the registration
   */
  Registration onClose(Consumer<Boolean> listener);
}
