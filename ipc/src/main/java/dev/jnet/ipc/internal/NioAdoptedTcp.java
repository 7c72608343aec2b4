package dev.jnet.ipc.internal;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Netty's NIO TCP channels over a JDK channel that adopted an inherited descriptor ({@link
 * NioAdoption}): they report the socket's real addresses, read off {@code /proc}, instead of the
 * scratch ones the JDK channel cached.
 *
 * <p>Threading: as Netty's channels; the addresses are immutable.
 */
final class NioAdoptedTcp {
  private NioAdoptedTcp() {}

  /** A connected TCP socket. */
  static final class Client extends NioSocketChannel {
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    Client(SocketChannel socket, InetSocketAddress local, InetSocketAddress remote) {
      super(socket);
      this.local = local;
      this.remote = remote;
    }

    @Override
    protected SocketAddress localAddress0() {
      return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return remote;
    }
  }

  /** A listening TCP socket. */
  static final class Listener extends NioServerSocketChannel {
    private final InetSocketAddress local;

    Listener(ServerSocketChannel socket, InetSocketAddress local) {
      super(socket);
      this.local = local;
    }

    @Override
    protected SocketAddress localAddress0() {
      return local;
    }
  }
}
