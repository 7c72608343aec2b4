package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The base of every contract: the transport fixture, helpers that start servers and clients and
 * clean them up after each test, and bounded waits. Every contract class is abstract; a transport
 * joins with a subclass that returns its {@link TransportFixture}.
 */
@Timeout(60)
public abstract class ContractSupport {
  /** The default bound for a wait. */
  protected static final Duration WAIT = Duration.ofSeconds(10);

  private final List<Server> servers = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /**
   * Returns the transport under test.
   *
   * @return the fixture
   */
  protected abstract TransportFixture fixture();

  /**
   * Starts a jnet server on a fresh endpoint; it is closed after the test.
   *
   * @param options the server options
   * @param onConnection the connection listener
   * @return the listening server
   */
  protected Server listen(ServerOptions options, Consumer<Socket> onConnection) {
    Server server = createServer(options, onConnection);
    await(server.listen(fixture().listenEndpoint()));
    StressConfig.ambientDelay(); // on the caller's thread, with -Djnet.stress.delays=true
    return server;
  }

  /**
   * A listening sink that does not read: each connection starts paused, is hashed by {@code sink}
   * once resumed, and is handed to {@code accepted}.
   *
   * @param sink hashes what the connection reads
   * @param accepted completed with the connection
   * @return the server
   */
  protected Server pausedSink(HashingSink sink, CompletableFuture<Socket> accepted) {
    return listen(
        ServerOptions.defaults(),
        s -> {
          s.pause();
          sink.attach(s);
          accepted.complete(s);
        });
  }

  /**
   * Creates a jnet server that is not listening yet; it is closed after the test.
   *
   * @param options the server options
   * @param onConnection the connection listener
   * @return the server
   */
  protected Server createServer(ServerOptions options, Consumer<Socket> onConnection) {
    Server server =
        fixture()
            .createServer(
                options,
                s -> {
                  synchronized (sockets) {
                    sockets.add(s);
                  }
                  onConnection.accept(s);
                });
    servers.add(server);
    return server;
  }

  /**
   * Starts a jnet server whose accepted sockets are handed out through a queue.
   *
   * @param options the server options
   * @param accepted receives each accepted socket with its recorder
   * @return the listening server
   */
  protected Server listen(ServerOptions options, LinkedBlockingQueue<Accepted> accepted) {
    return listen(options, s -> accepted.add(new Accepted(s, EventRecorder.record(s))));
  }

  /**
   * An accepted socket and the recorder registered on it before any event could arrive.
   *
   * @param socket the socket
   * @param events its recorder
   */
  public record Accepted(Socket socket, EventRecorder events) {}

  /**
   * Takes the next item (an accepted socket, an event), bounded.
   *
   * @param queue the queue
   * @param <T> the item type
   * @return the item
   */
  protected static <T> T take(LinkedBlockingQueue<T> queue) {
    try {
      T a = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(a).as("a connection (or event) arrived within " + WAIT).isNotNull();
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Connects a jnet client; it is destroyed after the test.
   *
   * @param endpoint where to connect
   * @param options the options
   * @return the socket (connecting)
   */
  protected Socket connect(Endpoint endpoint, SocketOptions options) {
    Socket s = fixture().connect(endpoint, options);
    synchronized (sockets) {
      sockets.add(s);
    }
    StressConfig.ambientDelay(); // on the caller's thread, with -Djnet.stress.delays=true
    return s;
  }

  /**
   * Registers something to close after the test.
   *
   * @param c the resource
   * @param <T> its type
   * @return the resource
   */
  protected <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  /**
   * Waits for a stage, bounded.
   *
   * @param stage the stage
   * @param <T> the value type
   * @return the value
   */
  protected static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage did not complete within " + WAIT + ": " + e, e);
    }
  }

  /** Tears down what the test opened, then waits until all of it has closed. */
  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    List<Socket> all;
    synchronized (sockets) {
      all = List.copyOf(sockets);
    }
    for (Socket s : all) {
      s.destroy();
    }
    for (Socket s : all) {
      await(s.closed());
    }
    for (Server s : servers) {
      if (s.isListening()) {
        await(s.close().exceptionally(e -> null));
      }
      assertThat(s.connections()).as("server connections after the test").isZero();
    }
  }
}
