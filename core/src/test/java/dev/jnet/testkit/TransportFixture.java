package dev.jnet.testkit;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the conformance contracts need from one transport: where to listen, what it can do under the
 * current engine, and a plain-JDK peer that speaks the same transport. One small fixture per
 * transport; each {@code <Transport><Area>Test} returns it.
 */
public interface TransportFixture {

  /**
   * Returns a short name for reports, such as {@code tcp} or {@code unix-path}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns a fresh endpoint to listen on (an ephemeral port, a new path under a temp folder).
   *
   * @return the endpoint
   */
  Endpoint listenEndpoint();

  /**
   * Returns an endpoint nothing listens on.
   *
   * @return the endpoint
   */
  Endpoint deadEndpoint();

  /**
   * Returns the code a connect to {@link #deadEndpoint()} fails with ({@code ECONNREFUSED} for TCP,
   * {@code ENOENT} for a missing socket file).
   *
   * @return the code
   */
  ErrorCode refusedCode();

  /**
   * Returns the transport's capabilities under the engine in use.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Returns the plain-JDK peer for this transport.
   *
   * @return the peer
   */
  ForeignPeer foreign();

  /**
   * Creates a jnet server of this fixture (a plain one; {@link TlsFixture} makes TLS ones).
   *
   * @param options the server options
   * @param onConnection the connection listener
   * @return the server, not listening yet
   */
  default Server createServer(ServerOptions options, Consumer<Socket> onConnection) {
    return Net.createServer(options, onConnection);
  }

  /**
   * Connects a jnet client of this fixture.
   *
   * @param endpoint where
   * @param options the options
   * @return the socket, connecting
   */
  default Socket connect(Endpoint endpoint, SocketOptions options) {
    return Net.createConnection(endpoint, options);
  }
}
