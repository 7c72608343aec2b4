package dev.jnet.tcp.internal;

import dev.jnet.Endpoint;
import dev.jnet.ServerOptions;
import dev.jnet.spi.BindPlan;
import dev.jnet.spi.Capability;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.IoEngine;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.spi.SelectorProvider;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import jdk.net.ExtendedSocketOptions;

/**
 * The {@code tcp://} transport: Netty's epoll TCP channels, its io_uring ones (opt-in), or NIO's.
 * Host names are resolved on the engine's blocking executor, never on a loop; IP literals are never
 * looked up.
 */
public final class TcpTransport implements ChannelTransport {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.HALF_CLOSE,
          Capability.RESET,
          Capability.CONNECT_TIMEOUT,
          Capability.TCP_OPTIONS);

  @Override
  public String scheme() {
    return "tcp";
  }

  @Override
  public Set<Capability> capabilities(Endpoint endpoint, String engine) {
    return CAPABILITIES;
  }

  /**
   * Every endpoint but a listener on the IPv4 wildcard has io_uring channels: Netty's io_uring
   * server socket is always IPv6 (no family to ask for) and its bind turns {@code 0.0.0.0} into
   * {@code [::]}, which would serve IPv6 clients too. Such a listener runs on epoll loops.
   */
  @Override
  public boolean runsOn(IoEngine.Kind kind, Endpoint endpoint) {
    return kind != IoEngine.Kind.IO_URING
        || !(endpoint instanceof Endpoint.Tcp tcp && tcp.host().equals("0.0.0.0"));
  }

  @Override
  public CompletionStage<SocketAddress> remoteAddress(IoEngine engine, Endpoint endpoint) {
    Endpoint.Tcp tcp = (Endpoint.Tcp) endpoint;
    String host = tcp.host().isEmpty() ? "localhost" : tcp.host();
    return resolve(engine, host, tcp.port());
  }

  @Override
  public CompletionStage<BindPlan> prepareBind(
      IoEngine engine, Endpoint endpoint, ServerOptions options) {
    Endpoint.Tcp tcp = (Endpoint.Tcp) endpoint;
    String host = tcp.host().isEmpty() ? "127.0.0.1" : tcp.host();
    return resolve(engine, host, tcp.port()).thenApply(BindPlan::of);
  }

  private static CompletionStage<SocketAddress> resolve(IoEngine engine, String host, int port) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal != null) {
      try {
        return CompletableFuture.completedFuture(
            new InetSocketAddress(InetAddress.getByAddress(host, literal), port));
      } catch (UnknownHostException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
          } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(new UnknownHostException(host));
          }
        },
        engine.blocking());
  }

  @Override
  public Channel newChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    return switch (engine.kind()) {
      case EPOLL -> new EpollSocketChannel();
      case IO_URING -> new IoUringSocketChannel();
      case NIO -> new NioSocketChannel();
    };
  }

  /**
   * A listener of the family its address names, as Node's: {@code 0.0.0.0} is IPv4 only, {@code
   * [::]} takes both. Both engines' default sockets are IPv6 where the machine has it, and bind an
   * IPv4 wildcard as {@code [::]}, dual-stack: IPv6 clients reached what was written as IPv4 only.
   */
  @Override
  public ServerChannel newServerChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    boolean ipv4 =
        address instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet4Address;
    return switch (engine.kind()) {
      case EPOLL ->
          ipv4
              ? new EpollServerSocketChannel(SocketProtocolFamily.INET)
              : new EpollServerSocketChannel();
      case IO_URING -> new IoUringServerSocketChannel(); // never 0.0.0.0: see runsOn
      case NIO ->
          ipv4
              ? new NioServerSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET)
              : new NioServerSocketChannel();
    };
  }

  @Override
  public void configure(Channel channel, boolean noDelay, boolean keepAlive, int keepAliveSeconds) {
    channel.config().setOption(ChannelOption.TCP_NODELAY, noDelay);
    channel.config().setOption(ChannelOption.SO_KEEPALIVE, keepAlive);
    if (keepAlive && keepAliveSeconds > 0) {
      if (channel instanceof EpollSocketChannel) {
        channel.config().setOption(EpollChannelOption.TCP_KEEPIDLE, keepAliveSeconds);
      } else if (channel instanceof IoUringSocketChannel) {
        channel.config().setOption(IoUringChannelOption.TCP_KEEPIDLE, keepAliveSeconds);
      } else {
        channel
            .config()
            .setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepAliveSeconds);
      }
    }
  }

  @Override
  public void configureServer(ServerChannel channel, ServerOptions options) {
    channel.config().setOption(ChannelOption.SO_REUSEADDR, true);
  }

  @Override
  public Optional<Endpoint> toEndpoint(SocketAddress address) {
    if (address instanceof InetSocketAddress isa && isa.getAddress() != null) {
      InetAddress a = isa.getAddress();
      String host = a instanceof Inet6Address ? NetUtil.toAddressString(a) : a.getHostAddress();
      return Optional.of(new Endpoint.Tcp(host, isa.getPort()));
    }
    return Optional.empty();
  }

  @Override
  public void armReset(Channel channel) {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
  }
}
