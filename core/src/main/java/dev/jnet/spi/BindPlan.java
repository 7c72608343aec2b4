package dev.jnet.spi;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * What a transport prepared, off the loop, for one server bind: the address to bind, and the steps
 * around the bind (a Unix socket applies its mode and moves into place after binding, and removes
 * its file on close). Exactly one of {@link #bound} or {@link #failed} is called, then {@link
 * #closed} once the server channel closed.
 *
 * <p>Threading: created off the loop by {@link ChannelTransport#prepareBind}; its callbacks then
 * run one at a time, {@link #bound} and {@link #closed} on the server's event loop.
 */
public interface BindPlan {

  /**
   * Returns the address to bind.
   *
   * @return the address
   */
  SocketAddress address();

  /**
   * Called on the loop after a successful bind, before the server is announced as listening.
   *
   * @param channel the bound channel
   * @throws NetException if the server must not serve; the channel is then closed
   */
  default void bound(ServerChannel channel) throws NetException {}

  /**
   * Tells whether the server channel is already bound and listening (an inherited descriptor): core
   * then only registers it on the loop, and {@link #address} is not bound.
   *
   * @return true for a channel that is listening already
   */
  default boolean isListening() {
    return false;
  }

  /** Called when the bind failed: release what was prepared. */
  default void failed() {}

  /**
   * Returns the endpoint {@code server.address()} reports.
   *
   * @param channel the bound channel
   * @param transport the transport
   * @return the endpoint
   */
  default Optional<Endpoint> endpoint(ServerChannel channel, ChannelTransport transport) {
    return transport.toEndpoint(channel.localAddress());
  }

  /** Called once the server channel has closed. */
  default void closed() {}

  /**
   * A plan that just binds an address.
   *
   * @param address the address
   * @return the plan
   */
  static BindPlan of(SocketAddress address) {
    return () -> address;
  }
}
