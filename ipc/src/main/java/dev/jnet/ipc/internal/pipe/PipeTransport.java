package dev.jnet.ipc.internal.pipe;

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
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code pipe:} transport: connection-oriented, duplex named pipes over POSIX FIFOs, as {@code
 * docs/pipe-protocol.md} specifies byte for byte. A server owns a private directory holding a
 * well-known FIFO; a client creates a FIFO pair there and announces it with one atomic line; the
 * pair then carries the two directions and closing a FIFO's writer is the half-close.
 *
 * <p>Engine ({@link FifoEngine}): under epoll, and under NIO where FIFOs can be made selectable
 * ({@link SelectableFifo}), a connection's two FIFO descriptors are non-blocking and registered
 * with its event loop like any socket, with no thread per connection; elsewhere under NIO (or with
 * {@code -Djnet.pipe.engine=threads}), blocking calls run on a reader and a writer thread per
 * connection that hand every result to the loop. Opening a FIFO blocks until the peer opens the
 * other end: where {@link NativeFifo} opens without blocking, the loop engines set connections up
 * on their loops (the accept byte), else opens run on short-lived opener threads; see
 * "Implementation notes" in the protocol document.
 *
 * <p>On Windows, {@code pipe:NAME} means {@code \\.\pipe\NAME} as in Node; that is not implemented
 * yet and answers {@code ENOTSUP}. The system property {@code jnet.pipe.os=windows} selects that
 * branch anywhere, for tests.
 */
public final class PipeTransport implements ChannelTransport {

  @Override
  public String scheme() {
    return "pipe";
  }

  @Override
  public Set<Capability> capabilities(Endpoint endpoint, String engine) {
    return EnumSet.of(Capability.HALF_CLOSE, Capability.PEER_CREDENTIALS);
  }

  @Override
  public CompletionStage<SocketAddress> remoteAddress(IoEngine engine, Endpoint endpoint) {
    try {
      Endpoint.Pipe p = (Endpoint.Pipe) endpoint;
      checkPlatform(p, "connect");
      return CompletableFuture.completedFuture(
          new PipeAddress(p, PipeDirectory.resolve(p, "connect")));
    } catch (NetException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<BindPlan> prepareBind(
      IoEngine engine, Endpoint endpoint, ServerOptions options) {
    Endpoint.Pipe p = (Endpoint.Pipe) endpoint;
    try {
      checkPlatform(p, "listen");
    } catch (NetException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Path dir = PipeDirectory.resolve(p, "listen");
            return new Plan(
                new PipeAddress(p, dir).withLease(PipeDirectory.listen(dir, p.address())));
          } catch (NetException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        },
        engine.blocking());
  }

  static void checkPlatform(Endpoint.Pipe p, String syscall) throws NetException {
    String os = System.getProperty("jnet.pipe.os", System.getProperty("os.name", ""));
    if (os.toLowerCase(Locale.ROOT).startsWith("windows")) {
      throw NetException.withMessage(
          ErrorCode.ENOTSUP,
          syscall,
          p.address(),
          syscall
              + " ENOTSUP "
              + p.address()
              + " (named pipes on Windows (\\\\.\\pipe\\"
              + p.address()
              + ") are not yet supported by jnet)");
    }
  }

  @Override
  public Channel newChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    return new FifoPipeChannel(FifoEngine.select(engine));
  }

  @Override
  public ServerChannel newServerChannel(IoEngine engine, Endpoint endpoint, SocketAddress address) {
    return new FifoPipeServerChannel(FifoEngine.select(engine));
  }

  @Override
  public void configure(Channel channel, boolean noDelay, boolean keepAlive, int keepAliveSeconds) {
    // Nagle and keep-alive do not apply to FIFOs (a no-op, as for Unix sockets in Node).
  }

  @Override
  public Optional<Endpoint> toEndpoint(SocketAddress address) {
    return address instanceof PipeAddress a ? Optional.of(a.endpoint()) : Optional.empty();
  }

  @Override
  public Optional<PeerCredentials> peerCredentials(Channel channel) {
    return channel instanceof FifoPipeChannel f
        ? Optional.ofNullable(f.peerCredentials())
        : Optional.empty();
  }

  /**
   * A server bind: the directory is taken before the bind and given back once the server closed.
   */
  private record Plan(PipeAddress address) implements BindPlan {
    @Override
    public void failed() {
      address.lease().release(true);
    }

    @Override
    public void closed() {
      address.lease().release(true);
    }
  }
}
