package dev.jnet.tcp;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.spi.Capability;
import dev.jnet.tcp.internal.TcpTransport;
import dev.jnet.testkit.ForeignPeer;
import dev.jnet.testkit.TransportFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;

/** The TCP transport for the conformance kit: ephemeral ports on 127.0.0.1. */
public final class TcpFixture implements TransportFixture {
  /** The shared instance. */
  public static final TcpFixture INSTANCE = new TcpFixture();

  private TcpFixture() {}

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public Endpoint listenEndpoint() {
    return Endpoint.parse("tcp://127.0.0.1:0");
  }

  @Override
  public Endpoint deadEndpoint() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new Endpoint.Tcp("127.0.0.1", s.getLocalPort());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public ErrorCode refusedCode() {
    return ErrorCode.ECONNREFUSED;
  }

  @Override
  public Set<Capability> capabilities() {
    return new TcpTransport().capabilities(listenEndpoint(), Net.engine());
  }

  @Override
  public ForeignPeer foreign() {
    return ForeignPeer.jdk();
  }
}
