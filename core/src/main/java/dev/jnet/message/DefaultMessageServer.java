package dev.jnet.message;

import dev.jnet.Endpoint;
import dev.jnet.Registration;
import dev.jnet.Server;
import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A {@link MessageServer} over a jnet {@link Server}. */
final class DefaultMessageServer implements MessageServer {
  private final Server server;
  private final Framing framing;
  private final MessageServerOptions options;
  private final Set<MessageSocket> open = ConcurrentHashMap.newKeySet();
  private final CopyOnWriteArrayList<Consumer<MessageSocket>> listeners =
      new CopyOnWriteArrayList<>();

  DefaultMessageServer(
      Server server,
      MessageServerOptions options,
      Framing framing,
      Consumer<MessageSocket> onConnection) {
    this.server = server;
    this.options = Objects.requireNonNull(options, "options");
    this.framing = Objects.requireNonNull(framing, "framing");
    if (options.heartbeat().isOn()) {
      HeartbeatTimer.emptyFrame(framing); // refuses a framing without one at once
    }
    listeners.add(Objects.requireNonNull(onConnection, "onConnection"));
    server.onConnection(this::accept);
  }

  private void accept(Socket socket) {
    MessageSocket conn = new DefaultMessageSocket(socket, framing, options);
    open.add(conn);
    conn.onClose(hadError -> open.remove(conn));
    for (Consumer<MessageSocket> l : listeners) {
      l.accept(conn);
    }
  }

  @Override
  public CompletionStage<MessageServer> listen(Endpoint endpoint) {
    return server.listen(endpoint).thenApply(s -> this);
  }

  @Override
  public CompletionStage<Void> close() {
    return server.close();
  }

  @Override
  public List<MessageSocket> connections() {
    return List.copyOf(open);
  }

  @Override
  public int broadcast(ByteBuffer message) {
    return broadcast(message, c -> true);
  }

  @Override
  public int broadcast(ByteBuffer message, Predicate<MessageSocket> to) {
    DefaultMessageSocket.checkNotHeartbeat(message, options.heartbeat().isOn());
    ByteBuffer frame = framing.encode(message);
    long limit = options.maxBroadcastBacklog();
    int n = 0;
    for (MessageSocket c : open) {
      if (c.isDestroyed() || !to.test(c)) {
        continue;
      }
      long backlog = c.bufferSize();
      if (backlog > limit) {
        c.destroy(MessageErrors.slowSubscriber(backlog, limit));
      } else if (c.socket().orElseThrow().write(frame.duplicate()) || !c.isDestroyed()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Server server() {
    return server;
  }

  @Override
  public Registration onConnection(Consumer<MessageSocket> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }
}
