package dev.jnet.spi;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.ServerOptions;
import dev.jnet.SocketOptions;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A transport that jnet's shared Netty engine can drive: the contract {@code jnet-tcp} and {@code
 * jnet-ipc} implement, and the one a new transport implements. It says which channel classes to
 * use, how to turn an {@link Endpoint} into a Netty address and back, how to prepare a bind, and
 * which transport-specific options apply. It holds no Node semantics: core drives every channel the
 * same way (events, backpressure, half-close, timeouts).
 *
 * <p>An implementer's duties:
 *
 * <ul>
 *   <li>Register it for {@link java.util.ServiceLoader} as a {@link Transport} ({@code
 *       META-INF/services} and {@code provides} in {@code module-info}); a provider that is not a
 *       {@code ChannelTransport} is reported and ignored.
 *   <li>Channels it creates support half-close ({@code DuplexChannel} with {@code
 *       ALLOW_HALF_CLOSURE}) wherever it declares {@link Capability#HALF_CLOSE}, and use the
 *       engine's channel family ({@link IoEngine#kind()}).
 *   <li>Never block an event loop: {@link #remoteAddress} and {@link #prepareBind} do slow work
 *       (name lookups, the file system) on {@link IoEngine#blocking()} and return at once.
 *   <li>Report failures as {@link NetException}s with Node's codes ({@link SystemErrors#map} turns
 *       what Netty and the JDK throw into one).
 *   <li>Declare honestly what it cannot do in {@link #capabilities}; core answers {@code ENOTSUP}
 *       for the rest.
 * </ul>
 *
 * <p>Threading: implementations are stateless or thread-safe; any method may be called from any
 * thread. Methods that take a {@link Channel} are called before it is registered or on its event
 * loop, never concurrently for one channel.
 */
public interface ChannelTransport extends Transport {

  /**
   * Resolves where to connect; host names are resolved on {@code engine.blocking()}, never on a
   * loop.
   *
   * @param engine the engine
   * @param endpoint the endpoint
   * @return the address, or a failed stage with a {@link NetException}
   */
  CompletionStage<SocketAddress> remoteAddress(IoEngine engine, Endpoint endpoint);

  /**
   * Prepares a server bind; runs off the loop (it may touch the file system or resolve a host
   * name).
   *
   * @param engine the engine
   * @param endpoint the endpoint
   * @param options the server options
   * @return the plan, or a failed stage with a {@link NetException}
   */
  CompletionStage<BindPlan> prepareBind(IoEngine engine, Endpoint endpoint, ServerOptions options);

  /**
   * Creates an unregistered client channel.
   *
   * @param engine the engine (epoll or NIO)
   * @param endpoint the endpoint
   * @param address the resolved address
   * @return the channel
   */
  Channel newChannel(IoEngine engine, Endpoint endpoint, SocketAddress address);

  /**
   * Creates an unregistered server channel.
   *
   * @param engine the engine
   * @param endpoint the endpoint
   * @param address the resolved address
   * @return the channel
   */
  ServerChannel newServerChannel(IoEngine engine, Endpoint endpoint, SocketAddress address);

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
    throw new UnsupportedOperationException(
        "resetAndDestroy is not supported on " + scheme() + ":");
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

  /**
   * Tells whether this transport has channels of an engine kind for an endpoint. Every transport
   * has epoll and NIO channels; where this answers false for {@link IoEngine.Kind#IO_URING} (the
   * default), the endpoint's sockets run on epoll loops when the process engine is io_uring, and
   * the transport is handed an epoll {@link IoEngine} for them.
   *
   * @param kind the engine kind
   * @param endpoint the endpoint to connect to or listen on
   * @return true if {@link #newChannel} and {@link #newServerChannel} create that kind's channels
   *     for it
   */
  default boolean runsOn(IoEngine.Kind kind, Endpoint endpoint) {
    return kind != IoEngine.Kind.IO_URING;
  }
}
