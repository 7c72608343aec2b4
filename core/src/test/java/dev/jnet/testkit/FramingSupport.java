package dev.jnet.testkit;

import static dev.jnet.testkit.FramingInbox.utf8;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import java.util.function.Consumer;

/**
 * The base of the framing contracts: message servers and clients that are cleaned up after each
 * test.
 */
public abstract class FramingSupport extends ContractSupport {

  /** A server-side connection's record: its messages and how it ended. */
  protected record Conn(
      MessageSocket socket, FramingInbox<String> messages, FramingInbox<String> events) {}

  /**
   * Starts a message server, closed after the test with all its connections.
   *
   * @param framing the framing
   * @param accepted receives each connection with its recorders, before any message
   * @param extra more per-connection setup
   * @return the listening server
   */
  protected MessageServer messageServer(
      Framing framing, FramingInbox<Conn> accepted, Consumer<MessageSocket> extra) {
    MessageServer server =
        MessageServer.create(
            ServerOptions.defaults(),
            framing,
            s -> {
              Conn c = new Conn(s, FramingInbox.text(), FramingInbox.text());
              s.onMessage(m -> c.messages().accept(utf8(m)));
              s.onEnd(() -> c.events().accept("end"));
              s.onError(e -> c.events().accept("error:" + e.code()));
              s.onClose(h -> c.events().accept("close:" + h));
              extra.accept(s);
              accepted.accept(c);
            });
    closeLater(
        () -> {
          server.connections().forEach(MessageSocket::destroy);
          if (server.server().isListening()) {
            await(server.close());
          }
        });
    await(server.listen(fixture().listenEndpoint()));
    return server;
  }

  /**
   * Connects a jnet message client.
   *
   * @param server the server
   * @param framing the framing
   * @return the client
   */
  protected MessageSocket messageClient(MessageServer server, Framing framing) {
    Endpoint ep = server.server().address().orElseThrow();
    return MessageSocket.wrap(connect(ep, SocketOptions.defaults()), framing);
  }
}
