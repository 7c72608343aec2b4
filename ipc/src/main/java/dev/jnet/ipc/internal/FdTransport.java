package dev.jnet.ipc.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.ServerOptions;
import dev.jnet.ipc.internal.InheritedSocket.Family;
import dev.jnet.spi.BindPlan;
import dev.jnet.spi.Capability;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.IoEngine;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The {@code fd:N} transport: a socket this process inherited (systemd socket activation, a
 * parent's socket), TCP or Unix, listening or connected. Netty's epoll channels wrap the number as
 * it is; the listener is registered, not bound, and its backlog is whatever the creator passed to
 * {@code listen(2)}. The descriptor is made non-blocking first (an inherited one usually is
 * blocking, and one blocking read would stall the loop).
 *
 * <p>Under NIO, where Java cannot wrap a number, {@link NioAdoption} moves the socket into a JDK
 * channel ({@code dup2(2)} over a scratch channel of the same family and state), which jnet's NIO
 * channels then drive; the inherited number is closed at that point. An adopted connected Unix
 * socket does not know its peer's address.
 */
public final class FdTransport implements ChannelTransport {
  private static final UnixTransport UNIX = new UnixTransport();

  @Override
  public String scheme() {
    return "fd";
  }

  @Override
  public Set<Capability> capabilities(Endpoint endpoint, String engine) {
    return engine.equals("epoll") || NioAdoption.supported()
        ? EnumSet.of(Capability.INHERITED_FD, Capability.HALF_CLOSE)
        : EnumSet.noneOf(Capability.class);
  }

  @Override
  public CompletionStage<SocketAddress> remoteAddress(IoEngine engine, Endpoint endpoint) {
    return CompletableFuture.supplyAsync(
        () -> inspectOrThrow(engine, (Endpoint.Fd) endpoint, "connect", false), engine.blocking());
  }

  @Override
  public CompletionStage<BindPlan> prepareBind(
      IoEngine engine, Endpoint endpoint, ServerOptions options) {
    return CompletableFuture.supplyAsync(
        () -> new InheritedPlan(inspectOrThrow(engine, (Endpoint.Fd) endpoint, "listen", true)),
        engine.blocking());
  }

  private static FdAddress inspectOrThrow(
      IoEngine engine, Endpoint.Fd endpoint, String syscall, boolean listen) {
    try {
      return inspect(engine, endpoint, syscall, listen);
    } catch (NetException e) {
      throw new CompletionException(e);
    }
  }

  private static FdAddress inspect(
      IoEngine engine, Endpoint.Fd endpoint, String syscall, boolean listen) throws NetException {
    if (!engine.isEpoll() && !NioAdoption.supported()) {
      throw InheritedSocket.error(
          ErrorCode.ENOTSUP,
          syscall,
          endpoint.fd(),
          "under the NIO engine fd: endpoints need junixsocket's native library, which is not available here");
    }
    InheritedSocket s = InheritedSocket.inspect(endpoint.fd(), syscall);
    if (s.listening() != listen) {
      throw InheritedSocket.error(
          ErrorCode.EINVAL,
          syscall,
          endpoint.fd(),
          listen
              ? "descriptor "
                  + endpoint.fd()
                  + " is a connected socket; listen needs a listening one"
              : "descriptor " + endpoint.fd() + " is a listening socket; use it with listen");
    }
    s.makeNonBlocking(syscall);
    return engine.isEpoll() ? new FdAddress(s, null, null, null) : adopt(s, syscall);
  }

  private static FdAddress adopt(InheritedSocket s, String syscall) throws NetException {
    try {
      if (s.family() == Family.UNIX) {
        String path =
            s.unixPath().startsWith("@") ? "\0" + s.unixPath().substring(1) : s.unixPath();
        SocketAddress local = path.isEmpty() ? null : new DomainSocketAddress(path);
        Object ch = s.listening() ? NioAdoption.listening(s) : NioAdoption.connected(s);
        return new FdAddress(s, ch, local, null);
      }
      InetSocketAddress[] a = NioAdoption.tcpAddresses(s.fd());
      Object ch = s.listening() ? NioAdoption.listening(s) : NioAdoption.connected(s);
      return new FdAddress(s, ch, a[0], a[1]);
    } catch (IOException e) {
      throw InheritedSocket.error(
          ErrorCode.EINVAL,
          syscall,
          s.fd(),
          "cannot hand descriptor " + s.fd() + " to the NIO engine: " + e.getMessage());
    }
  }

  @Override
  public Channel newChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    FdAddress a = (FdAddress) address;
    InheritedSocket s = a.socket();
    if (a.adopted() instanceof SocketChannel jdk) {
      return s.family() == Family.TCP
          ? new NioAdoptedTcp.Client(
              jdk, (InetSocketAddress) a.local(), (InetSocketAddress) a.remote())
          : NioUnixChannel.adopted(jdk, a.local(), a.remote());
    }
    return s.family() == Family.TCP
        ? new EpollSocketChannel(s.fd())
        : new EpollDomainSocketChannel(s.fd(), true);
  }

  @Override
  public ServerChannel newServerChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    FdAddress a = (FdAddress) address;
    InheritedSocket s = a.socket();
    if (a.adopted() instanceof ServerSocketChannel jdk) {
      return s.family() == Family.TCP
          ? new NioAdoptedTcp.Listener(jdk, (InetSocketAddress) a.local())
          : new NioUnixServerChannel(jdk, a.local());
    }
    return s.family() == Family.TCP
        ? new EpollServerSocketChannel(s.fd())
        : new EpollServerDomainSocketChannel(s.fd(), true);
  }

  @Override
  public void configure(Channel channel, boolean noDelay, boolean keepAlive, int keepAliveSeconds) {
    if (channel instanceof EpollSocketChannel || channel instanceof NioAdoptedTcp.Client) {
      channel.config().setOption(ChannelOption.TCP_NODELAY, noDelay);
      channel.config().setOption(ChannelOption.SO_KEEPALIVE, keepAlive);
    }
  }

  @Override
  public Optional<Endpoint> toEndpoint(SocketAddress address) {
    if (address instanceof InetSocketAddress i) {
      return Optional.of(new Endpoint.Tcp(i.getAddress().getHostAddress(), i.getPort()));
    }
    if (address instanceof DomainSocketAddress
        || address instanceof java.net.UnixDomainSocketAddress) {
      return UNIX.toEndpoint(
          address); // the latter: a connection accepted by an adopted listener (NIO)
    }
    return Optional.empty();
  }

  @Override
  public void armReset(Channel channel) {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
  }

  @Override
  public Optional<PeerCredentials> peerCredentials(Channel channel) {
    return UNIX.peerCredentials(channel);
  }

  /**
   * Carries the inspected descriptor from {@code prepareBind}/{@code remoteAddress} to the channel
   * factory; under NIO also the JDK channel that adopted it and the socket's real addresses.
   */
  static final class FdAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private final transient InheritedSocket socket;
    private final transient Object adopted;
    private final transient SocketAddress local;
    private final transient SocketAddress remote;

    FdAddress(InheritedSocket socket, Object adopted, SocketAddress local, SocketAddress remote) {
      this.socket = socket;
      this.adopted = adopted;
      this.local = local;
      this.remote = remote;
    }

    InheritedSocket socket() {
      return socket;
    }

    Object adopted() {
      return adopted;
    }

    SocketAddress local() {
      return local;
    }

    SocketAddress remote() {
      return remote;
    }

    @Override
    public String toString() {
      return "fd:" + socket.fd();
    }
  }

  /** A descriptor that listens already: core registers it instead of binding. */
  private record InheritedPlan(FdAddress address) implements BindPlan {
    @Override
    public boolean isListening() {
      return true;
    }

    @Override
    public Optional<Endpoint> endpoint(ServerChannel channel, ChannelTransport transport) {
      String path = address.socket().unixPath();
      if (address.socket().family() == Family.UNIX) {
        return path.isEmpty()
            ? Optional.empty()
            : Optional.of(
                path.startsWith("@")
                    ? new Endpoint.Unix(path.substring(1), true)
                    : new Endpoint.Unix(path, false));
      }
      return transport.toEndpoint(channel.localAddress());
    }
  }
}
