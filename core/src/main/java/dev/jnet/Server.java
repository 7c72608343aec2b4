package dev.jnet;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A listening server with the events and rules of Node's {@code net.Server}.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #listen} binds and emits {@code listening}, or fails ({@code EADDRINUSE}, {@code EACCES},
 * ...; the server can then listen again). Each accepted connection emits {@code connection}. A
 * connection beyond {@code maxConnections} is closed at once and the server keeps serving. {@link
 * #close()} stops accepting at once (new connections are refused), leaves open connections alone,
 * and emits {@code close} once the last one has closed.
 *
 * <h2>Threading</h2>
 *
 * Events of one server arrive in order, one at a time, on its I/O thread, never under a jnet lock;
 * listeners must not block. Each accepted socket's events run on that socket's I/O thread. Every
 * method may be called from any thread.
 */
public interface Server {

  /**
   * Binds and starts accepting.
   *
   * @param endpoint where to listen; {@code tcp://:0} picks a free port on 127.0.0.1
   * @return completes with this server once listening, or fails with a {@link NetException}
   */
  CompletionStage<Server> listen(Endpoint endpoint);

  /**
   * Stops accepting; completes when every connection has closed.
   *
   * @return the stage; fails with {@code ERR_SERVER_NOT_RUNNING} if the server was not listening
   */
  CompletionStage<Void> close();

  /**
   * Returns the bound address (with the real port after {@code tcp://:0}).
   *
   * @return the address while listening, else empty
   */
  Optional<Endpoint> address();

  /**
   * Tells whether the server is listening.
   *
   * @return true between {@code listening} and {@link #close()}
   */
  boolean isListening();

  /**
   * Returns the number of open accepted connections.
   *
   * @return the count
   */
  int connections();

  /**
   * Returns the options.
   *
   * @return the options
   */
  ServerOptions options();

  /**
   * Lets the JVM exit while this server listens.
   *
   * @return this server
   */
  Server unref();

  /**
   * Keeps the JVM alive while this server listens (the default).
   *
   * @return this server
   */
  Server ref();

  /**
   * Listens for {@code connection}.
   *
   * @param listener called per accepted socket, on that socket's I/O thread
   * @return the registration
   */
  Registration onConnection(Consumer<Socket> listener);

  /**
   * Listens for {@code listening}.
   *
   * @param listener called once per successful {@link #listen}
   * @return the registration
   */
  Registration onListening(Runnable listener);

  /**
   * Listens for {@code close}.
   *
   * @param listener called when the server has stopped and its last connection closed
   * @return the registration
   */
  Registration onClose(Runnable listener);

  /**
   * Listens for {@code error}: listen failures and accept failures.
   *
   * @param listener called per error
   * @return the registration
   */
  Registration onError(Consumer<NetException> listener);

  /**
   * Listens for {@code drop}, Node's event for a connection the server closed unserved: one over
   * {@link ServerOptions#maxConnections()}, or one its admission rules refused (the uid and gid
   * allow-lists, the authorizer, and an abstract Unix name's default of this process's uid only).
   * The connection listeners never see it; this is where a server tells that someone was turned
   * away.
   *
   * @param listener called per dropped connection, on the server's I/O thread
   * @return the registration
   */
  Registration onDrop(Consumer<Drop> listener);

  /**
   * A connection the server closed unserved ({@link #onDrop}).
   *
   * <p>Threading: an immutable value, safe to pass between threads.
   *
   * @param remoteAddress the peer's address, where the transport has one
   * @param peer the peer's credentials, where the transport has them and the server read them
   * @param reason why, in words: {@code maxConnections (2) reached}, {@code uid 65534 is not
   *     allowed}, {@code the authorizer refused it}, ...
   */
  record Drop(Optional<Endpoint> remoteAddress, Optional<PeerCredentials> peer, String reason) {
    /**
     * Checks the parts.
     *
     * @param remoteAddress see the record description
     * @param peer see the record description
     * @param reason see the record description
     */
    public Drop {
      java.util.Objects.requireNonNull(remoteAddress, "remoteAddress");
      java.util.Objects.requireNonNull(peer, "peer");
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }
}
