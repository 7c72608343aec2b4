package dev.jnet.message;

import dev.jnet.Registration;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Request/response and one-way messages over one {@link MessageSocket}, every frame carrying an
 * {@link Envelope}. Both ends of a connection may make requests, answer them, and push one-way
 * messages (events).
 *
 * <pre>{@code
 * // server side
 * MessageServer server = MessageServer.create(Framing.lengthPrefixed(),
 *     conn -> Messenger.of(conn).onRequest((body, reply) -> reply.resolve(body)));   // echo
 * // client side
 * Messenger m = Messenger.of(MessageSocket.wrap(Net.createConnection(endpoint), Framing.lengthPrefixed()));
 * m.onMessage(event -> System.out.println("pushed: " + UTF_8.decode(event)));
 * m.request(ByteBuffer.wrap(bytes), Duration.ofSeconds(2))
 *     .thenAccept(result -> ...);
 * }</pre>
 *
 * <h2>Requests</h2>
 *
 * <ul>
 *   <li>Each request gets a correlation id unique among this side's pending requests, and one
 *       {@link CompletionStage}: it completes with the response body; or fails with {@link
 *       RequestRejectedException} (the peer's error response), with {@code NetException(ETIMEDOUT)}
 *       when the timeout passes first, or with the connection's error ({@code ERR_SOCKET_CLOSED} if
 *       it closed without one) when the connection closes first.
 *   <li>Cancel a request with {@code stage.toCompletableFuture().cancel(true)}. A timeout or a
 *       cancel sends the peer a cancel envelope ({@code C}), so its handler can stop ({@link
 *       Reply#onCancel}); a response arriving after that is dropped.
 *   <li>Requests are never resent. A received request is answered once: by the {@link
 *       RequestHandler}, or with an error response if there is none or it throws.
 * </ul>
 *
 * <p>A payload that is not an envelope closes the connection with {@code EINVAL}. A response to an
 * unknown id (one that timed out or was cancelled here) is dropped and counted in {@link
 * #droppedResponses()}.
 *
 * <h2>Threading</h2>
 *
 * Events of one connection (requests, one-way messages, responses) arrive in order, one at a time,
 * on its I/O thread, never under a jnet lock; listeners and handlers must not block. A request's
 * stage completes on the I/O thread (response, close), on jnet's timer thread (timeout) or on the
 * cancelling thread (cancel); use the {@code *Async} methods of {@code CompletionStage} to choose
 * an executor. Every method may be called from any thread.
 */
public interface Messenger {

  /** The timeout of {@link #request(ByteBuffer)}: 30 seconds. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Starts request/response on a message socket. Create one messenger per socket, before its first
   * message.
   *
   * @param socket the connection; every frame on it is an envelope from now on
   * @return the messenger
   */
  static Messenger of(MessageSocket socket) {
    return new DefaultMessenger(socket);
  }

  /**
   * Sends a request with the {@linkplain #DEFAULT_TIMEOUT default timeout}.
   *
   * @param body the request body (copied)
   * @return the response's stage
   */
  CompletionStage<ByteBuffer> request(ByteBuffer body);

  /**
   * Sends a request.
   *
   * @param body the request body (copied)
   * @param timeout how long to wait for the response; zero waits until the connection closes
   * @return the response's stage
   */
  CompletionStage<ByteBuffer> request(ByteBuffer body, Duration timeout);

  /**
   * Sends a one-way message ({@code M}); the peer's {@link #onMessage} listeners get it, nothing
   * answers.
   *
   * @param body the message (copied)
   * @return false if the socket's buffer is above its high-water mark: wait for {@code drain}
   */
  boolean send(ByteBuffer body);

  /**
   * Sets the handler of received requests; only one at a time.
   *
   * @param handler the handler
   * @return the registration; closing it makes later requests answer with an error
   * @throws IllegalStateException if a handler is already registered
   */
  Registration onRequest(RequestHandler handler);

  /**
   * Listens for one-way messages (events pushed by the peer).
   *
   * @param listener called per message, in order
   * @return the registration
   */
  Registration onMessage(Consumer<ByteBuffer> listener);

  /**
   * Returns the message socket.
   *
   * @return the connection
   */
  MessageSocket socket();

  /**
   * Returns the number of requests sent and not yet settled.
   *
   * @return the count
   */
  int pendingRequests();

  /**
   * Returns the number of responses dropped because their request had timed out or been cancelled.
   *
   * @return the count
   */
  long droppedResponses();
}
