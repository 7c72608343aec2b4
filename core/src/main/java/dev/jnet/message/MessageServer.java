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
 * A server whose connections carry messages: a jnet {@link Server} that wraps each accepted socket
 * in a {@link MessageSocket} with one {@link Framing}, keeps the set of open connections, and can
 * {@link #broadcast} to them.
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
 * As {@link Server}: {@link #listen}, {@code connection} per accepted socket (already wrapped;
 * listeners registered in the connection listener miss no message), {@link #close()} stops
 * accepting and completes when the last connection has closed. A connection that breaks the
 * framing's limits is closed with its error; the others are not affected.
 *
 * <h2>Hostile and stalled clients</h2>
 *
 * A connection is destroyed with an error event, and the others carry on, when: a frame is longer
 * than the framing's limit ({@code ERR_FRAME_TOO_LARGE}); the stream ends inside a frame ({@code
 * ERR_FRAME_TRUNCATED}); no complete message arrives within {@link
 * MessageServerOptions#firstFrameTimeout()} of accept (30 s by default) or a started frame is not
 * complete within {@link MessageServerOptions#frameTimeout()} (60 s by default), both {@code
 * ETIMEDOUT}; it lags more than {@link MessageServerOptions#maxBroadcastBacklog()} behind
 * broadcasts ({@code ERR_BUFFER_FULL}); or its decoder fails in any other way ({@code EIO}, or
 * {@code ENOMEM} for {@code OutOfMemoryError}): a connection whose decoder failed has lost its
 * place in the stream and never reads on. The decoders allocate for the bytes that have arrived,
 * not for what a header announces.
 *
 * <h2>Listeners that throw</h2>
 *
 * A message listener that throws a {@code RuntimeException} is logged (a warning on the {@code
 * dev.jnet} logger) and costs nothing else: the other listeners get that message, every later
 * message follows in order, and the framing stays in step. A listener that throws an {@code Error}
 * destroys its connection with an error event ({@code ERR_UNHANDLED_ERROR}, or {@code ENOMEM} for
 * {@code OutOfMemoryError}).
 *
 * <h2>Threading</h2>
 *
 * Events of one connection arrive in order, one at a time, on its I/O thread, never under a jnet
 * lock; listeners must not block. Every method may be called from any thread.
 */
public interface MessageServer {

  /**
   * Creates a server with default options.
   *
   * @param framing the format of every connection
   * @param onConnection called per accepted connection, on its I/O thread, before any of its
   *     messages
   * @return the server, not yet listening
   */
  static MessageServer create(Framing framing, Consumer<MessageSocket> onConnection) {
    return create(ServerOptions.defaults(), framing, onConnection);
  }

  /**
   * Creates a server with the default {@link MessageServerOptions} around the given jnet server
   * options.
   *
   * @param options the jnet server's options
   * @param framing the format of every connection
   * @param onConnection called per accepted connection, on its I/O thread, before any of its
   *     messages
   * @return the server, not yet listening
   */
  static MessageServer create(
      ServerOptions options, Framing framing, Consumer<MessageSocket> onConnection) {
    return create(
        MessageServerOptions.defaults().withServerOptions(options), framing, onConnection);
  }

  /**
   * Creates a server with message-server options: its deadlines and its broadcast limit.
   *
   * @param options the server's options
   * @param framing the format of every connection
   * @param onConnection called per accepted connection, on its I/O thread, before any of its
   *     messages
   * @return the server, not yet listening
   */
  static MessageServer create(
      MessageServerOptions options, Framing framing, Consumer<MessageSocket> onConnection) {
    Server server = Net.createServer(options.serverOptions(), s -> {});
    return new DefaultMessageServer(server, options, framing, onConnection);
  }

  /**
   * Creates a message server whose connections are TLS ({@link dev.jnet.tls.Tls#createServer}):
   * {@code onConnection} sees a connection once its handshake is done, and its {@link
   * MessageSocket#socket()} holds a {@link dev.jnet.tls.TlsSocket}.
   *
   * @param options the server's and each connection's options
   * @param tls the TLS options
   * @param framing the format of every connection
   * @param onConnection called per connection whose handshake is done
   * @return the server, not yet listening
   */
  static MessageServer createTls(
      MessageServerOptions options,
      dev.jnet.tls.TlsServerOptions tls,
      Framing framing,
      Consumer<MessageSocket> onConnection) {
    Server server = dev.jnet.tls.Tls.createServer(options.serverOptions(), tls);
    return new DefaultMessageServer(server, options, framing, onConnection);
  }

  /**
   * Binds and starts accepting.
   *
   * @param endpoint where to listen
   * @return completes with this server once listening, or fails with a {@code NetException}
   */
  CompletionStage<MessageServer> listen(Endpoint endpoint);

  /**
   * Stops accepting; completes when every connection has closed (connections are not closed by this
   * call).
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
   * Sends one message to every open connection. The frame is encoded once.
   *
   * <p>Slow subscribers. A broadcast never waits and never drops a message silently. A recipient
   * that still holds more than {@link MessageServerOptions#maxBroadcastBacklog()} unsent bytes (1
   * MiB by default) when a broadcast reaches it is destroyed with {@code ERR_BUFFER_FULL},
   * delivered as its {@code error} event (then {@code close}), and is not counted; the others get
   * the message and the server carries on. A recipient at or below the limit gets the message
   * buffered even above its high-water mark, so it holds at most the limit plus one frame. A
   * connection that must not miss messages is therefore one that reads; a server that would rather
   * wait for a slow reader sends to it with {@link MessageSocket#send} and paces itself on {@code
   * drain}.
   *
   * @param message the payload
   * @return the number of connections it was sent to (buffered for)
   * @throws IllegalArgumentException if the framing cannot encode the message
   */
  int broadcast(ByteBuffer message);

  /**
   * Sends one message to every open connection the filter accepts (to leave out the sender, say),
   * with the slow-subscriber policy of {@link #broadcast(ByteBuffer)}.
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
