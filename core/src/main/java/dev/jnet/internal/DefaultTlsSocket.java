package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.SocketOptions;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.tls.TlsSocket;
import io.netty.channel.EventLoop;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link DefaultSocket} with a {@link TlsLayer}: the {@link TlsSocket} API over it.
 *
 * <p>Threads: as {@link DefaultSocket}.
 */
public final class DefaultTlsSocket extends DefaultSocket implements TlsSocket {

  DefaultTlsSocket(
      Engine engine,
      EventLoop loop,
      SocketOptions options,
      Endpoint target,
      DefaultServer server,
      ChannelTransport transport,
      SocketLife.Phase phase,
      boolean paused,
      TlsLayer.Config config) {
    super(engine, loop, options, target, server, transport, phase, paused, config);
  }

  @Override
  public Registration onSecureConnect(Runnable listener) {
    return events.register(
        SocketEvents.SECURE_CONNECT, listener, () -> tls.isSecure() && !life.destroyed(), listener);
  }

  @Override
  public CompletionStage<TlsSocket> secureConnected() {
    CompletableFuture<TlsSocket> f = new CompletableFuture<>();
    run(
        () ->
            tls.secured()
                .whenComplete(
                    (s, e) -> {
                      if (e != null) {
                        f.completeExceptionally(e);
                      } else {
                        f.complete(s);
                      }
                    }));
    return f;
  }

  @Override
  public boolean isAuthorized() {
    return tls.authorized();
  }

  @Override
  public Optional<NetException> authorizationError() {
    return tls.authorizationError();
  }

  @Override
  public List<X509Certificate> peerCertificateChain() {
    return tls.peerChain();
  }

  @Override
  public Optional<String> alpnProtocol() {
    return tls.alpn();
  }

  @Override
  public Optional<String> protocol() {
    return tls.protocol();
  }

  @Override
  public Optional<String> cipher() {
    return tls.cipher();
  }

  @Override
  public Optional<String> servername() {
    return tls.servername();
  }
}
