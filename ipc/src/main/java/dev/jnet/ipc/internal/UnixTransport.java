package dev.jnet.ipc.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.ServerOptions;
import dev.jnet.spi.BindPlan;
import dev.jnet.spi.Capability;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.IoEngine;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code unix:} transport: Unix domain sockets at a path or (epoll only) in Linux's abstract
 * namespace, on Netty's epoll domain-socket channels, or, under NIO, jnet's own {@link
 * NioUnixChannel} and {@link NioUnixServerChannel} over the JDK's {@code UnixDomainSocketAddress}
 * channels. Server paths are bound through {@link SafeBind}: never truncated, never stealing a live
 * server's path, never deleting a file that is not a stale socket.
 *
 * <p>Both engines half-close ({@code HALF_CLOSE}); peer credentials are read under epoll only.
 */
public final class UnixTransport implements ChannelTransport {
  /** The longest path Linux accepts in {@code sun_path}, in bytes, without the terminating NUL. */
  public static final int MAX_PATH_BYTES = 107;

  @Override
  public String scheme() {
    return "unix";
  }

  @Override
  public Set<Capability> capabilities(Endpoint endpoint, String engine) {
    return engine.equals("epoll")
        ? EnumSet.of(Capability.HALF_CLOSE, Capability.PEER_CREDENTIALS)
        : EnumSet.of(Capability.HALF_CLOSE);
  }

  @Override
  public CompletionStage<SocketAddress> remoteAddress(IoEngine engine, Endpoint endpoint) {
    try {
      return CompletableFuture.completedFuture(
          address(engine, (Endpoint.Unix) endpoint, "connect"));
    } catch (NetException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<BindPlan> prepareBind(
      IoEngine engine, Endpoint endpoint, ServerOptions options) {
    Endpoint.Unix unix = (Endpoint.Unix) endpoint;
    if (unix.isAbstract()) {
      try {
        SocketAddress a = address(engine, unix, "listen");
        return CompletableFuture.completedFuture(new AbstractPlan(a, unix));
      } catch (NetException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(
        () -> SafeBind.prepare(engine, unix, options), engine.blocking());
  }

  /**
   * Gives up this process's claim on a socket file a server of this process bound: closing that
   * server, or exiting, no longer removes the file, because its listening socket now lives on in
   * another process.
   *
   * @param path the socket path
   */
  public static void disownSocketFile(java.nio.file.Path path) {
    SafeBind.disown(path);
  }

  static SocketAddress address(IoEngine engine, Endpoint.Unix unix, String syscall)
      throws NetException {
    checkLength(unix, syscall);
    if (unix.isAbstract()) {
      if (!engine.isEpoll()) {
        throw NetException.withMessage(
            ErrorCode.ENOTSUP,
            syscall,
            unix.address(),
            syscall
                + " ENOTSUP "
                + unix.address()
                + " (abstract Unix socket names need the epoll engine; the NIO engine is in use)");
      }
      return new DomainSocketAddress("\0" + unix.path());
    }
    return socketAddress(engine, unix.path());
  }

  static SocketAddress socketAddress(IoEngine engine, String path) {
    return engine.isEpoll() ? new DomainSocketAddress(path) : UnixDomainSocketAddress.of(path);
  }

  static void checkLength(Endpoint.Unix unix, String syscall) throws NetException {
    int bytes = unix.path().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PATH_BYTES) {
      throw NetException.withMessage(
          ErrorCode.ENAMETOOLONG,
          syscall,
          unix.address(),
          syscall
              + " ENAMETOOLONG "
              + unix.address()
              + " ("
              + bytes
              + " bytes; a Unix socket "
              + (unix.isAbstract() ? "name" : "path")
              + " holds at most "
              + MAX_PATH_BYTES
              + " bytes on Linux, and jnet never truncates it)");
    }
  }

  @Override
  public Channel newChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    return engine.isEpoll() ? new EpollDomainSocketChannel() : new NioUnixChannel();
  }

  @Override
  public ServerChannel newServerChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    if (address instanceof SafeBind.Listening listening) {
      return listening
          .channel(); // a path: SafeBind created, bound and listened on the socket already
    }
    return engine.isEpoll() ? new EpollServerDomainSocketChannel() : new NioUnixServerChannel();
  }

  @Override
  public void configure(Channel channel, boolean noDelay, boolean keepAlive, int keepAliveSeconds) {
    // Nagle and keep-alive do not apply to Unix sockets (a no-op, as in Node).
  }

  @Override
  public Optional<Endpoint> toEndpoint(SocketAddress address) {
    String path = null;
    if (address instanceof DomainSocketAddress d) {
      path = d.path();
    } else if (address instanceof UnixDomainSocketAddress u) {
      path = u.getPath().toString();
    }
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    if (path.charAt(0) == '\0') {
      return Optional.of(new Endpoint.Unix(path.substring(1), true));
    }
    return Optional.of(new Endpoint.Unix(path, false));
  }

  @Override
  public Optional<PeerCredentials> peerCredentials(Channel channel) {
    if (channel instanceof EpollDomainSocketChannel e) {
      try {
        io.netty.channel.unix.PeerCredentials c = e.peerCredentials();
        int[] gids = c.gids();
        return Optional.of(new PeerCredentials(c.pid(), c.uid(), gids.length > 0 ? gids[0] : -1));
      } catch (IOException ex) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** An abstract name: no file to guard; the kernel refuses a taken name with EADDRINUSE. */
  private record AbstractPlan(SocketAddress address, Endpoint.Unix endpoint) implements BindPlan {
    @Override
    public Optional<Endpoint> endpoint(ServerChannel channel, ChannelTransport transport) {
      return Optional.of(endpoint);
    }
  }
}
