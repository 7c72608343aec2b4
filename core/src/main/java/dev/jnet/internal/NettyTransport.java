package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.ServerOptions;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The internal binding of a jnet transport to the shared Netty engine: which channel classes to use, how to turn an
 * {@link Endpoint} into a Netty address, and the transport-specific socket options. It holds no Node semantics:
 * core drives every channel the same way.
 */
public interface NettyTransport extends Transport {

  /**
   * Resolves where to connect; host names are resolved on {@code engine.blocking()}, never on a loop.
   *
   * @param engine the engine
   * @param endpoint the endpoint
   * @return the address, or a failed stage with a {@link NetException}
   */
  CompletionStage<SocketAddress> remoteAddress(Engine engine, Endpoint endpoint);

  /**
   * Prepares a server bind; runs off the loop (it may touch the file system or resolve a host name).
   *
   * @param engine the engine
   * @param endpoint the endpoint
   * @param options the server options
   * @return the plan, or a failed stage with a {@link NetException}
   */
  CompletionStage<BindPlan> prepareBind(Engine engine, Endpoint endpoint, ServerOptions options);

  /**
   * Creates an unregistered client channel.
   *
   * @param engine the engine (epoll or NIO)
   * @param endpoint the endpoint
   * @param address the resolved address
   * @return the channel
   */
  Channel newChannel(Engine engine, Endpoint endpoint, SocketAddress address);

  /**
   * Creates an unregistered server channel.
   *
   * @param engine the engine
   * @param endpoint the endpoint
   * @param address the resolved address
   * @return the channel
   */
  ServerChannel newServerChannel(Engine engine, Endpoint endpoint, SocketAddress address);

  /**
   * Applies transport-specific options (Nagle, keep-alive) to a client or accepted channel.
   *
   * @param channel the channel
   * @param noDelay TCP_NODELAY
   * @param keepAlive SO_KEEPALIVE
   * @param keepAliveSeconds the initial keep-alive delay in seconds, 0 for the OS's default
   */
  void configure(Channel channel, boolean noDelay, boolean keepAlive, int keepAliveSeconds);

  /**
   * Applies transport-specific options to a server channel before it binds.
   *
   * @param channel the channel
   * @param options the server options
   */
  default void configureServer(ServerChannel channel, ServerOptions options) {}

  /**
   * Turns a Netty address into an endpoint.
   *
   * @param address the address
   * @return the endpoint, empty if unknown
   */
  Optional<Endpoint> toEndpoint(SocketAddress address);

  /**
   * Arms the channel so that closing it sends a reset (SO_LINGER 0).
   *
   * @param channel the channel
   */
  default void armReset(Channel channel) {
    throw new UnsupportedOperationException("resetAndDestroy is not supported on " + scheme() + ":");
  }

  /**
   * Reads the peer's credentials.
   *
   * @param channel the channel
   * @return the credentials, empty where not supported
   */
  default Optional<PeerCredentials> peerCredentials(Channel channel) {
    return Optional.empty();
  }

  /**
   * Applies the options every channel of this transport needs.
   *
   * @param options the socket options
   * @return seconds for keep-alive
   */
  static int keepAliveSeconds(SocketOptions options) {
    return (int) Math.min(Integer.MAX_VALUE, options.keepAliveInitialDelay().toSeconds());
  }
}
