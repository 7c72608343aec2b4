package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.internal.tls.CertificateMaker;
import dev.jnet.internal.tls.NodeTrust;
import dev.jnet.internal.tls.TlsErrors;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsServerOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS of one socket: it puts Netty's {@link SslHandler} (a server's behind an {@link
 * SniHandler}) in front of the socket's {@link StreamAdapter}, so that every part of the socket
 * (events, backpressure, half-close) works on plain text as over any transport. It turns the
 * handshake's end into {@code secureConnect} (or the server's dispatch), a peer's {@code
 * close_notify} into its end, the local end into {@code close_notify} before the transport's
 * shutdown, and TLS failures into Node's codes; and it keeps what the handshake agreed.
 *
 * <p>Threads: confined to the socket's loop; the agreed values are volatile for readers on other
 * threads.
 */
public final class TlsLayer {

  /** How one side's handlers are made: the contexts and settings of a client or a server. */
  public sealed interface Config permits ClientConfig, ServerConfig {
    /** Makes the handler for a new channel. */
    ChannelHandler newHandler(Channel ch);

    /** Whether this is a server's. */
    boolean server();
  }

  /** A client's: one context, the name to verify and send. */
  public record ClientConfig(
      SslContext context, String verifyName, Optional<String> sni, long timeoutMillis)
      implements Config {
    @Override
    public ChannelHandler newHandler(Channel ch) {
      SslHandler h = context.newHandler(ch.alloc(), verifyName, -1);
      SSLEngine engine = h.engine();
      SSLParameters p = engine.getSSLParameters();
      p.setServerNames(
          sni.map(n -> List.<javax.net.ssl.SNIServerName>of(new SNIHostName(n))).orElse(List.of()));
      engine.setSSLParameters(p);
      h.setHandshakeTimeoutMillis(timeoutMillis);
      return h;
    }

    @Override
    public boolean server() {
      return false;
    }
  }

  /** A server's: the contexts by SNI name. */
  public record ServerConfig(Mapping<String, SslContext> contexts, long timeoutMillis)
      implements Config {
    @Override
    public ChannelHandler newHandler(Channel ch) {
      long timeout = timeoutMillis;
      return new SniHandler(contexts, 16 * 1024, timeout) {
        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
          SslHandler h = super.newSslHandler(context, allocator);
          h.setHandshakeTimeoutMillis(timeout);
          return h;
        }
      };
    }

    @Override
    public boolean server() {
      return true;
    }
  }

  private final DefaultSocket socket;
  private final Config config;
  private boolean eof;
  private volatile boolean secure;
  private volatile boolean authorized;
  private volatile NetException authorizationError;
  private volatile List<X509Certificate> peerChain = List.of();
  private volatile String alpn;
  private volatile String protocol;
  private volatile String cipher;
  private volatile String servername;
  private CompletableFuture<dev.jnet.tls.TlsSocket> secured; // created on first use
  private Runnable afterSecure; // an end() that waits for the handshake

  TlsLayer(DefaultSocket socket, Config config) {
    this.socket = socket;
    this.config = config;
    if (config instanceof ClientConfig c) {
      servername = c.sni().orElse(null);
    }
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Builds a client's configuration.
   *
   * @param tls the options
   * @param target where it connects (its host is the name verified), or null
   * @return the configuration
   */
  public static ClientConfig clientConfig(TlsOptions tls, Endpoint target) {
    String host = target instanceof Endpoint.Tcp t && !t.host().isEmpty() ? t.host() : null;
    String verify = tls.servername().orElse(host != null ? host : "localhost");
    Optional<String> sni =
        tls.servername().isPresent()
            ? tls.servername()
            : host != null && !CertificateMaker.isIpLiteral(host)
                ? Optional.of(host)
                : Optional.empty();
    try {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .trustManager(new NodeTrust(tls.ca(), tls.rejectUnauthorized()))
              .endpointIdentificationAlgorithm(null) // NodeTrust checks the name, as Node does
              .protocols(protocols(tls.minVersion(), tls.maxVersion()));
      tls.credentials().ifPresent(c -> b.keyManager(c.key(), c.chain()));
      if (!tls.alpnProtocols().isEmpty()) {
        b.applicationProtocolConfig(
            new ApplicationProtocolConfig(
                Protocol.ALPN,
                SelectorFailureBehavior.NO_ADVERTISE,
                SelectedListenerFailureBehavior.ACCEPT,
                tls.alpnProtocols()));
      }
      return new ClientConfig(b.build(), verify, sni, tls.handshakeTimeout().toMillis());
    } catch (SSLException e) {
      throw new IllegalArgumentException("these TLS options cannot be used: " + e.getMessage(), e);
    }
  }

  /**
   * Builds a server's configuration.
   *
   * @param tls the options
   * @return the configuration
   */
  public static ServerConfig serverConfig(TlsServerOptions tls) {
    DomainWildcardMappingBuilder<SslContext> m =
        new DomainWildcardMappingBuilder<>(serverContext(tls, tls.credentials()));
    for (Map.Entry<String, TlsCredentials> e : tls.sniCredentials().entrySet()) {
      m.add(e.getKey(), serverContext(tls, e.getValue()));
    }
    return new ServerConfig(m.build(), tls.handshakeTimeout().toMillis());
  }

  private static SslContext serverContext(TlsServerOptions tls, TlsCredentials c) {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(c.key(), c.chain())
              .sslProvider(SslProvider.JDK)
              .protocols(protocols(tls.minVersion(), tls.maxVersion()));
      if (tls.requestCert()) {
        b.clientAuth(tls.rejectUnauthorized() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
            .trustManager(new NodeTrust(tls.ca(), tls.rejectUnauthorized()));
      }
      if (!tls.alpnProtocols().isEmpty()) {
        b.applicationProtocolConfig(
            new ApplicationProtocolConfig(
                Protocol.ALPN,
                SelectorFailureBehavior.FATAL_ALERT,
                SelectedListenerFailureBehavior.FATAL_ALERT,
                tls.alpnProtocols()));
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("these TLS options cannot be used: " + e.getMessage(), e);
    }
  }

  private static String[] protocols(String min, String max) {
    List<String> p = new ArrayList<>();
    if (max.equals("TLSv1.3")) {
      p.add("TLSv1.3");
    }
    if (min.equals("TLSv1.2")) {
      p.add("TLSv1.2");
    }
    return p.toArray(new String[0]);
  }

  // ---------------------------------------------------------------- the channel

  Config config() {
    return config;
  }

  ChannelHandler newHandler(Channel ch) {
    return config.newHandler(ch);
  }

  /** The handshake ended: records what it agreed, or fails the socket. Loop only. */
  void handshakeDone(Channel ch, Throwable cause) {
    if (cause != null) {
      NetException e = TlsErrors.map(cause, socket.life.endpointText());
      if (config.server() && e.code() == ErrorCode.ECONNRESET) {
        e =
            NetException.withMessage(
                ErrorCode.ECONNRESET, "", e.endpoint().orElse(""), "socket hang up");
      }
      if (secured != null) {
        secured.completeExceptionally(e);
      }
      socket.life.tlsFailed(e);
      return;
    }
    SslHandler h = ch.pipeline().get(SslHandler.class);
    if (h != null) {
      SSLSession s = h.engine().getSession();
      protocol = s.getProtocol();
      cipher = s.getCipherSuite();
      alpn = h.applicationProtocol();
      try {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : s.getPeerCertificates()) {
          chain.add((X509Certificate) c);
        }
        peerChain = List.copyOf(chain);
      } catch (SSLPeerUnverifiedException e) {
        peerChain = List.of();
      }
      Object verdict = s.getValue(NodeTrust.VERDICT);
      if (verdict instanceof NetException v) {
        authorizationError = v;
      } else if (peerChain.isEmpty()) {
        // a server that asked for no certificate, or a client that sent none
        authorizationError =
            config.server()
                ? NetException.withMessage(
                    ErrorCode.UNABLE_TO_VERIFY_LEAF_SIGNATURE,
                    "",
                    "",
                    "the client sent no certificate")
                : null;
      }
      authorized = authorizationError == null && !peerChain.isEmpty();
    }
    secure = true;
    socket.in.updateReading(); // a paused socket stops reading now that the handshake is done
    socket.life.tlsSecure();
    Runnable then = afterSecure;
    if (then != null) {
      afterSecure = null;
      then.run();
    }
    if (secured != null) {
      secured.complete((dev.jnet.tls.TlsSocket) socket);
    }
  }

  void sniDone(String hostname) {
    servername = hostname;
  }

  /** The peer's {@code close_notify} or the transport's EOF: true for the first of them only. */
  boolean firstEof() {
    if (eof) {
      return false;
    }
    eof = true;
    return true;
  }

  /**
   * Sends {@code close_notify}, then runs {@code then}, whatever the outcome; before the handshake
   * is done, waits for it (an end right after connect must not abort it). Loop only.
   */
  void closeOutbound(Channel ch, Runnable then) {
    if (!secure) {
      afterSecure = () -> closeOutbound(ch, then);
      return;
    }
    SslHandler h = ch.pipeline().get(SslHandler.class);
    if (h == null || !ch.isActive()) {
      then.run();
      return;
    }
    h.closeOutbound().addListener(f -> then.run());
  }

  /** Takes TLS out of the pipeline so that closing sends a reset alone. Loop only. */
  void dropForReset(Channel ch) {
    SslHandler h = ch.pipeline().get(SslHandler.class);
    if (h != null) {
      ch.pipeline().remove(h);
    }
  }

  // ---------------------------------------------------------------- what it agreed

  boolean isSecure() {
    return secure;
  }

  boolean authorized() {
    return authorized;
  }

  Optional<NetException> authorizationError() {
    return Optional.ofNullable(authorizationError);
  }

  List<X509Certificate> peerChain() {
    return peerChain;
  }

  Optional<String> alpn() {
    return Optional.ofNullable(alpn);
  }

  Optional<String> protocol() {
    return Optional.ofNullable(protocol);
  }

  Optional<String> cipher() {
    return Optional.ofNullable(cipher);
  }

  Optional<String> servername() {
    return Optional.ofNullable(servername);
  }

  /** Loop only. */
  CompletableFuture<dev.jnet.tls.TlsSocket> secured() {
    if (secured == null) {
      secured = new CompletableFuture<>();
      if (secure) {
        secured.complete((dev.jnet.tls.TlsSocket) socket);
      } else if (socket.life.destroyed()) {
        NetException e = socket.life.error();
        secured.completeExceptionally(
            e != null ? e : NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
      }
    }
    return secured;
  }

  /** The socket was torn down before its handshake ended. */
  void destroyed(NetException e) {
    if (secured != null && !secured.isDone()) {
      secured.completeExceptionally(
          e != null ? e : NetException.of(ErrorCode.ERR_SOCKET_CLOSED_BEFORE_CONNECTION));
    }
  }
}
