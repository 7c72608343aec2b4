package dev.jnet.spi;

import dev.jnet.Server;
import dev.jnet.internal.DefaultServer;
import io.netty.channel.ServerChannel;
import java.util.Optional;

/**
 * Reaches the channel under a jnet server, for transport features that act on the listening socket
 * itself (handing it to another process).
 *
 * <p>Threading: stateless; call from any thread. The channel returned belongs to the server: do not
 * close it.
 */
public final class ServerChannels {
  private ServerChannels() {}

  /**
   * Returns the listening channel of a server created by {@code Net.createServer}.
   *
   * @param server the server
   * @return its channel while it listens; empty before, after, or for a server jnet did not create
   */
  public static Optional<ServerChannel> listening(Server server) {
    return server instanceof DefaultServer d ? d.listeningChannel() : Optional.empty();
  }
}
