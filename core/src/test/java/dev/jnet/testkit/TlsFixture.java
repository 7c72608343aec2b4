package dev.jnet.testkit;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsServerOptions;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * Any transport's fixture with TLS on top: its servers are {@link Tls#createServer} with a
 * self-signed certificate for {@code localhost}, its clients {@link Tls#connect} and trust exactly
 * that certificate, so every contract runs over TLS with verification on. Contracts that need the
 * plain JDK peer are skipped with the reason: that peer does not speak TLS.
 */
public final class TlsFixture implements TransportFixture {
  private static final TlsCredentials CREDENTIALS = TlsCredentials.selfSigned("localhost");
  private final TransportFixture plain;

  /**
   * Wraps a transport's fixture.
   *
   * @param plain the transport
   */
  public TlsFixture(TransportFixture plain) {
    this.plain = plain;
  }

  @Override
  public String name() {
    return "tls+" + plain.name();
  }

  @Override
  public Endpoint listenEndpoint() {
    return plain.listenEndpoint();
  }

  @Override
  public Endpoint deadEndpoint() {
    return plain.deadEndpoint();
  }

  @Override
  public ErrorCode refusedCode() {
    return plain.refusedCode();
  }

  @Override
  public Set<Capability> capabilities() {
    return plain.capabilities();
  }

  @Override
  public ForeignPeer foreign() {
    Assumptions.abort("the kit's plain JDK peer does not speak TLS");
    throw new AssertionError("unreachable");
  }

  @Override
  public Server createServer(ServerOptions options, Consumer<Socket> onConnection) {
    return Tls.createServer(options, TlsServerOptions.of(CREDENTIALS), onConnection::accept);
  }

  @Override
  public Socket connect(Endpoint endpoint, SocketOptions options) {
    return Tls.connect(
        endpoint,
        options,
        TlsOptions.defaults()
            .withCa(List.of(CREDENTIALS.certificate()))
            .withServername("localhost"));
  }
}
