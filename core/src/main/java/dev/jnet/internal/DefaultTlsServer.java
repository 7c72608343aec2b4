package dev.jnet.internal;

import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.ServerOptions;
import dev.jnet.spi.Log;
import dev.jnet.tls.TlsServer;
import dev.jnet.tls.TlsServerOptions;
import dev.jnet.tls.TlsSocket;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link DefaultServer} whose accepted sockets speak TLS: each gets its own {@link TlsLayer} from
 * the current {@link TlsLayer.ServerConfig}, which {@link #setSecureContext} replaces for the
 * handshakes that start after it.
 *
 * <p>Threads: as {@link DefaultServer}; the configuration is volatile.
 */
public final class DefaultTlsServer extends DefaultServer implements TlsServer {
  private static final Listeners.Event<Consumer<NetException>> TLS_CLIENT_ERROR =
      new Listeners.Event<>("tlsClientError");

  private final Listeners tlsListeners = new Listeners();
  private volatile TlsLayer.ServerConfig config;

  DefaultTlsServer(Engine engine, ServerOptions options, TlsLayer.ServerConfig config) {
    super(engine, options);
    this.config = config;
  }

  @Override
  TlsLayer.ServerConfig tlsConfig() {
    return config;
  }

  @Override
  void tlsClientError(NetException e) {
    if (tlsListeners.isEmpty(TLS_CLIENT_ERROR)) {
      Log.fine(() -> "jnet: a TLS client's handshake failed: " + e.getMessage());
      return;
    }
    tlsListeners.forEach(TLS_CLIENT_ERROR, l -> safely(() -> l.accept(e)));
  }

  @Override
  public Registration onTlsClientError(Consumer<NetException> listener) {
    return tlsListeners.add(TLS_CLIENT_ERROR, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Registration onSecureConnection(Consumer<TlsSocket> listener) {
    Objects.requireNonNull(listener, "listener");
    return onConnection(s -> listener.accept((TlsSocket) s));
  }

  @Override
  public void setSecureContext(TlsServerOptions options) {
    config = TlsLayer.serverConfig(Objects.requireNonNull(options, "options"));
  }
}
