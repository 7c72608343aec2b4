package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.testkit.ForeignConnection;
import dev.jnet.testkit.ForeignPeer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * junixsocket as an independent AF_UNIX peer: it reaches abstract names (exact length), which the
 * JDK cannot.
 */
final class JunixPeer implements ForeignPeer {
  static AFUNIXSocketAddress address(Endpoint endpoint) throws IOException {
    Endpoint.Unix u = (Endpoint.Unix) endpoint;
    return u.isAbstract()
        ? AFUNIXSocketAddress.inAbstractNamespace(u.path())
        : AFUNIXSocketAddress.of(new java.io.File(u.path()));
  }

  @Override
  public ForeignConnection connect(Endpoint endpoint) throws IOException {
    AFUNIXSocketChannel ch = AFUNIXSocketChannel.open();
    try {
      ch.connect(address(endpoint));
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return ForeignConnection.of(ch);
  }

  @Override
  public ForeignConnection startConnect(Endpoint endpoint) throws IOException {
    AFUNIXSocketChannel ch = AFUNIXSocketChannel.open();
    try {
      ch.configureBlocking(false);
      ch.connect(address(endpoint));
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return ForeignConnection.of(ch);
  }

  @Override
  public ForeignServer listen(Endpoint endpoint) throws IOException {
    return listen(endpoint, 16);
  }

  @Override
  public ForeignServer listen(Endpoint endpoint, int backlog) throws IOException {
    AFUNIXServerSocketChannel ss = AFUNIXServerSocketChannel.open();
    ss.bind(address(endpoint), backlog);
    return new ForeignServer() {
      @Override
      public Endpoint endpoint() {
        return endpoint;
      }

      @Override
      public ForeignConnection accept(Duration timeout) throws IOException {
        ss.configureBlocking(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
          AFUNIXSocketChannel c = ss.accept();
          if (c != null) {
            c.configureBlocking(true);
            return ForeignConnection.of(c);
          }
          try (java.nio.channels.Selector sel = ss.provider().openSelector()) {
            ss.register(sel, java.nio.channels.SelectionKey.OP_ACCEPT);
            sel.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          }
        }
        throw new SocketTimeoutException("no connection within " + timeout);
      }

      @Override
      public void close() throws IOException {
        ss.close();
      }
    };
  }
}
