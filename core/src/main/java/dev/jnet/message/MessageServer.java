package dev.jnet.message;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Registration;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A server whose connections carry messages: a jnet {@link Server} that wraps each accepted socket in a {@link
 * MessageSocket} with one {@link Framing}, keeps the set of open connections, and can {@link #broadcast} to them.
 *
 * <pre>{@code
 * MessageServer server = MessageServer.create(Framing.lines(), conn -> {
 *   conn.attach(new Session());                         // per-connection state
 *   conn.onMessage(m -> conn.send(m));                  // echo
 * });
 * server.listen(Endpoint.parse("unix:/run/app.sock")).toCompletableFuture().join();
 * server.broadcast(ByteBuffer.wrap("{\"event\":\"tick\"}".getBytes(UTF_8)));
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * As {@link Server}: {@link #listen}, {@code connection} per accepted socket (already wrapped; listeners
 * registered in the connection listener miss no message), {@link #close()} stops accepting and completes when the
 * last connection has closed. A connection that breaks the framing's limits is closed with its error; the others
 * are not affected.
 *
 * <h2>Threading</h2>
 *
 * Events of one connection arrive in order, one at a time, on its I/O thread, never under a jnet lock; listeners
 * must not block. Every method may be called from any thread.
 */
public interface MessageServer {

  /**
   * Creates a server with default options.
   *
   * @param framing the format of every connection
   * @param onConnection called per accepted connection, on its I/O thread, before any of its messages
   * @return the server, not yet listening
   */
  static MessageServer create(Framing framing, Consumer<MessageSocket> onConnection) {
    return create(ServerOptions.defaults(), framing, onConnection);
  }

  /**
   * Creates a server.
   *
   * @param options the server's options
   * @param framing the format of every connection
   * @param onConnection called per accepted connection, on its I/O thread, before any of its messages
   * @return the server, not yet listening
   */
  static MessageServer create(ServerOptions options, Framing framing, Consumer<MessageSocket> onConnection) {
    return new DefaultMessageServer(Net.createServer(options, s -> { }), framing, onConnection);
  }

  /**
   * Binds and starts accepting.
   *
   * @param endpoint where to listen
   * @return completes with this server once listening, or fails with a {@code NetException}
   */
  CompletionStage<MessageServer> listen(Endpoint endpoint);

  /**
   * Stops accepting; completes when every connection has closed (connections are not closed by this call).
   *
   * @return the stage
   */
  CompletionStage<Void> close();

  /**
   * Returns the open connections.
   *
   * @return a snapshot, in no particular order
   */
  List<MessageSocket> connections();

  /**
   * Sends one message to every open connection. The frame is encoded once. A recipient above its high-water mark
   * still gets the message buffered; one whose buffer reaches {@code maxBufferedBytes} is destroyed with {@code
   * ERR_BUFFER_FULL} and the others keep going.
   *
   * @param message the payload
   * @return the number of connections it was sent to
   */
  int broadcast(ByteBuffer message);

  /**
   * Sends one message to every open connection the filter accepts (to leave out the sender, say).
   *
   * @param message the payload
   * @param to chooses the recipients
   * @return the number of connections it was sent to
   */
  int broadcast(ByteBuffer message, Predicate<MessageSocket> to);

  /**
   * Returns the jnet server underneath (for its address, options and events).
   *
   * @return the server
   */
  Server server();

  /**
   * Listens for connections.
   *
   * @param listener called per accepted connection, on its I/O thread
   * @return the registration
   */
  Registration onConnection(Consumer<MessageSocket> listener);
}
