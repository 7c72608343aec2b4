package dev.jnet.message;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.Registration;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A client that keeps one message connection to an endpoint alive: it reconnects with exponential
 * backoff and jitter ({@link ReconnectOptions}) and holds outgoing messages in a bounded queue
 * while it cannot send them.
 *
 * <h2>Delivery guarantee</h2>
 *
 * At most once, and nothing is ever duplicated silently:
 *
 * <ol>
 *   <li>{@link #send} queues the message (in send order, for sends from one thread) and returns its
 *       stage. If {@code maxQueuedMessages} messages are already waiting, or the client is closed,
 *       the stage fails at once ({@code ERR_BUFFER_FULL}, {@code ERR_SOCKET_CLOSED}) and nothing is
 *       queued.
 *   <li>Queued messages are handed to the connection while it is up and below its high-water mark.
 *       A message still in the queue when a connection is lost stays queued and goes out on the
 *       next connection: this is the only case in which a message crosses a reconnect, and it was
 *       never sent before.
 *   <li>A message handed to a connection is never sent again. Its stage completes when its frame
 *       has reached the kernel, which does not prove the peer read it; or fails with the
 *       connection's error ({@code ECONNRESET}, {@code ERR_SOCKET_CLOSED}, ...) if the connection
 *       broke first, and the application decides whether to send it again. A message whose stage
 *       failed this way may or may not have reached the peer; a peer never sees part of one (the
 *       framing drops a truncated frame).
 *   <li>{@link #close()} fails every queued message with {@code ERR_SOCKET_CLOSED}, lets the
 *       messages already handed to the connection finish, then ends it, and stops reconnecting.
 * </ol>
 *
 * <p>For end-to-end acknowledgement, make requests with a {@link Messenger} on each connection
 * ({@link #onConnect}); pending requests fail when their connection is lost and are not resent.
 *
 * <p>While it waits to reconnect, the client does not keep the JVM alive (its timer thread is a
 * daemon).
 *
 * <h2>Threading</h2>
 *
 * Events of one connection arrive in order, one at a time, on its I/O thread, never under a jnet
 * lock; listeners must not block. Every method may be called from any thread.
 */
public interface MessageClient extends AutoCloseable {

  /**
   * Starts a client with default options; the first attempt starts at once.
   *
   * @param endpoint where to connect
   * @param framing the format of both directions
   * @return the client
   */
  static MessageClient connect(Endpoint endpoint, Framing framing) {
    return connect(endpoint, framing, ReconnectOptions.defaults());
  }

  /**
   * Starts a client; the first attempt starts at once.
   *
   * @param endpoint where to connect
   * @param framing the format of both directions
   * @param options backoff, queue bound and socket options
   * @return the client
   */
  static MessageClient connect(Endpoint endpoint, Framing framing, ReconnectOptions options) {
    DefaultMessageClient c = new DefaultMessageClient(endpoint, framing, options);
    c.start();
    return c;
  }

  /**
   * Starts a client whose every connection is TLS ({@link dev.jnet.tls.Tls#connect}): each attempt
   * verifies the server as {@code tls} says; a failed handshake is a failed attempt, retried with
   * the same backoff.
   *
   * @param endpoint where to connect
   * @param framing the format of both directions
   * @param options backoff, queue bound and socket options
   * @param tls the TLS options
   * @return the client
   */
  static MessageClient connectTls(
      Endpoint endpoint, Framing framing, ReconnectOptions options, dev.jnet.tls.TlsOptions tls) {
    java.util.Objects.requireNonNull(tls, "tls");
    DefaultMessageClient c =
        new DefaultMessageClient(
            endpoint,
            framing,
            options,
            e -> dev.jnet.tls.Tls.connect(e, options.socketOptions(), tls));
    c.start();
    return c;
  }

  /**
   * Queues one message (see the delivery guarantee).
   *
   * @param message the payload (copied)
   * @return completes when the frame reached the kernel; fails as described above
   * @throws IllegalArgumentException if the framing cannot carry the message
   */
  CompletionStage<Void> send(ByteBuffer message);

  /**
   * Returns the number of messages waiting in the queue (not yet handed to a connection).
   *
   * @return the count
   */
  int queued();

  /**
   * Returns the current connection while it is up.
   *
   * @return the connection, empty while disconnected
   */
  Optional<MessageSocket> connection();

  /**
   * Listens for messages from every connection, in order per connection.
   *
   * @param listener called per message
   * @return the registration
   */
  Registration onMessage(Consumer<ByteBuffer> listener);

  /**
   * Listens for each connection that comes up, before queued messages are sent on it. A listener
   * registered while a connection is up is called at once, on the registering thread, with that
   * connection.
   *
   * @param listener called per connection, on its I/O thread
   * @return the registration
   */
  Registration onConnect(Consumer<MessageSocket> listener);

  /**
   * Listens for the loss of a connection that had come up (failed attempts are not reported).
   *
   * @param listener called with the connection's error, if any
   * @return the registration
   */
  Registration onDisconnect(Consumer<Optional<NetException>> listener);

  /**
   * Stops reconnecting, fails queued messages, ends the current connection after its in-flight
   * messages.
   */
  @Override
  void close();
}
