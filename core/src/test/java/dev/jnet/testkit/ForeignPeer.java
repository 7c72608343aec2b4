package dev.jnet.testkit;

import dev.jnet.Endpoint;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A peer built on the plain JDK ({@link SocketChannel}), independent of jnet and Netty, so every
 * contract can also run jnet-client against a foreign server and a foreign client against a jnet
 * server. If a contract fails against this peer and passes against jnet itself, the contract is
 * wrong, not the transport.
 */
public interface ForeignPeer {

  /**
   * Connects to a jnet server.
   *
   * @param endpoint the server's address
   * @return the connection
   * @throws IOException if the connect fails
   */
  ForeignConnection connect(Endpoint endpoint) throws IOException;

  /**
   * Starts a server that jnet clients connect to.
   *
   * @param endpoint where to listen
   * @return the server
   * @throws IOException if binding fails
   */
  ForeignServer listen(Endpoint endpoint) throws IOException;

  /**
   * Starts a server with a given listen backlog.
   *
   * @param endpoint where to listen
   * @param backlog the kernel's accept queue length
   * @return the server
   * @throws IOException if binding fails
   */
  ForeignServer listen(Endpoint endpoint, int backlog) throws IOException;

  /**
   * Starts connecting without waiting; {@link ForeignConnection#finishConnect} completes it.
   *
   * @param endpoint the server's address
   * @return the connection, possibly still connecting
   * @throws IOException if the connect fails at once
   */
  ForeignConnection startConnect(Endpoint endpoint) throws IOException;

  /** A JDK server socket. */
  interface ForeignServer extends AutoCloseable {
    /**
     * Returns the bound address.
     *
     * @return the endpoint clients connect to
     */
    Endpoint endpoint();

    /**
     * Accepts one connection.
     *
     * @param timeout how long to wait
     * @return the connection
     * @throws IOException if none arrives in time
     */
    ForeignConnection accept(Duration timeout) throws IOException;

    @Override
    void close() throws IOException;
  }

  /**
   * The JDK peer for an address family: TCP ({@code tcp://}) or Unix domain sockets at a path
   * ({@code unix:/}).
   *
   * @return the peer
   */
  static ForeignPeer jdk() {
    return new JdkPeer();
  }

  /** The plain-JDK implementation. */
  final class JdkPeer implements ForeignPeer {
    private JdkPeer() {}

    @Override
    public ForeignConnection connect(Endpoint endpoint) throws IOException {
      SocketChannel ch = SocketChannel.open(family(endpoint));
      try {
        ch.connect(address(endpoint));
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      return new ForeignConnection(ch);
    }

    @Override
    public ForeignConnection startConnect(Endpoint endpoint) throws IOException {
      SocketChannel ch = SocketChannel.open(family(endpoint));
      try {
        ch.configureBlocking(false);
        ch.connect(address(endpoint));
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      return new ForeignConnection(ch);
    }

    @Override
    public ForeignServer listen(Endpoint endpoint) throws IOException {
      return listen(endpoint, 16);
    }

    @Override
    public ForeignServer listen(Endpoint endpoint, int backlog) throws IOException {
      ServerSocketChannel ss = ServerSocketChannel.open(family(endpoint));
      try {
        ss.bind(address(endpoint), backlog);
      } catch (IOException e) {
        ss.close();
        throw e;
      }
      return new JdkServer(ss, endpoint);
    }

    static StandardProtocolFamily family(Endpoint endpoint) {
      return endpoint instanceof Endpoint.Unix
          ? StandardProtocolFamily.UNIX
          : StandardProtocolFamily.INET;
    }

    static SocketAddress address(Endpoint endpoint) {
      if (endpoint instanceof Endpoint.Tcp t) {
        return new java.net.InetSocketAddress(
            t.host().isEmpty() ? "127.0.0.1" : t.host(), t.port());
      }
      if (endpoint instanceof Endpoint.Unix u && !u.isAbstract()) {
        return UnixDomainSocketAddress.of(u.path());
      }
      throw new IllegalArgumentException("the JDK peer cannot reach " + endpoint);
    }
  }

  /** A server on a JDK channel. */
  final class JdkServer implements ForeignServer {
    private final ServerSocketChannel channel;
    private final Endpoint endpoint;

    JdkServer(ServerSocketChannel channel, Endpoint requested) throws IOException {
      this.channel = channel;
      SocketAddress local = channel.getLocalAddress();
      if (local instanceof java.net.InetSocketAddress isa) {
        this.endpoint = new Endpoint.Tcp(isa.getAddress().getHostAddress(), isa.getPort());
      } else {
        this.endpoint = requested;
      }
    }

    @Override
    public Endpoint endpoint() {
      return endpoint;
    }

    @Override
    public ForeignConnection accept(Duration timeout) throws IOException {
      channel.configureBlocking(false);
      try (java.nio.channels.Selector sel = channel.provider().openSelector()) {
        channel.register(sel, java.nio.channels.SelectionKey.OP_ACCEPT);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
          SocketChannel c = channel.accept();
          if (c != null) {
            channel.keyFor(sel).cancel();
            sel.selectNow();
            channel.configureBlocking(true);
            return new ForeignConnection(c);
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new java.net.SocketTimeoutException("no connection within " + timeout);
          }
          sel.select(Math.max(1, left / 1_000_000));
        }
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
