package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.PeerCredentials;
import dev.jnet.SocketOptions;
import dev.jnet.spi.ChannelTransport;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import java.util.Optional;

/**
 * What one {@link DefaultSocket} sets on its channel and knows of it: no-delay and keep-alive, the
 * addresses and the peer's credentials. The options may be set before the channel exists; they are
 * applied when it does.
 *
 * <p>Threads: the options are confined to the socket's loop; the addresses and credentials are
 * written once on the loop and read on any thread.
 */
final class ChannelSettings {
  /**
   * How much one read takes: Netty's adaptive guess between 64 bytes and 256 KiB (Netty's default
   * stops at 64 KiB). A bulk echo then makes as many reads and writes as the C reference server,
   * which reads 256 KiB at a time; at 64 KiB it made four times the reads and twice the writes, and
   * the kernel's fixed cost per call showed as a fifth more server CPU per GiB (docs/profiles.md).
   * The guess shrinks again on a connection that sends little, so an idle one holds no buffer.
   */
  static final RecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

  private final ChannelTransport transport;
  private boolean noDelay;
  private boolean keepAlive;
  private int keepAliveSeconds;

  // The channel's addresses are known once connected; their Endpoints are made on first ask.
  private volatile Channel addressed;
  private volatile Optional<Endpoint> localAddress;
  private volatile Optional<Endpoint> remoteAddress;
  private volatile PeerCredentials credentials;

  ChannelSettings(ChannelTransport transport, SocketOptions options) {
    this.transport = transport;
    this.noDelay = options.noDelay();
    this.keepAlive = options.keepAlive();
    this.keepAliveSeconds = ChannelTransport.keepAliveSeconds(options);
  }

  /** Applies the options to a channel. */
  void configure(Channel ch) {
    transport.configure(ch, noDelay, keepAlive, keepAliveSeconds);
    ChannelConfig config = ch.config();
    RecvByteBufAllocator reads = config.getRecvByteBufAllocator();
    if (reads != READS && !(reads instanceof SpliceMeter)) {
      config.setRecvByteBufAllocator(READS);
    }
    SpliceMeter.install(ch); // wraps READS
  }

  void setNoDelay(boolean value, Channel ch) {
    noDelay = value;
    reapply(ch);
  }

  void setKeepAlive(boolean enable, int initialDelaySeconds, Channel ch) {
    keepAlive = enable;
    keepAliveSeconds = initialDelaySeconds;
    reapply(ch);
  }

  private void reapply(Channel ch) {
    if (ch != null && ch.isOpen() && transport != null) {
      configure(ch);
    }
  }

  /**
   * Notes that the addresses are known. Netty keeps them (asking once fills its cache, so they stay
   * readable after close on every transport); they become {@link Endpoint}s only when asked. The
   * peer's credentials are read now: the admission rules need them, and they cannot be read once
   * the descriptor is closed.
   */
  void cacheAddresses(Channel ch) {
    ch.localAddress();
    ch.remoteAddress();
    credentials = transport.peerCredentials(ch).orElse(null);
    addressed = ch;
  }

  Optional<Endpoint> localAddress() {
    Optional<Endpoint> a = localAddress;
    if (a == null) {
      Channel ch = addressed;
      if (ch == null) {
        return Optional.empty();
      }
      a = transport.toEndpoint(ch.localAddress());
      localAddress = a; // a race makes an equal value twice
    }
    return a;
  }

  Optional<Endpoint> remoteAddress() {
    Optional<Endpoint> a = remoteAddress;
    if (a == null) {
      Channel ch = addressed;
      if (ch == null) {
        return Optional.empty();
      }
      a = transport.toEndpoint(ch.remoteAddress());
      remoteAddress = a;
    }
    return a;
  }

  Optional<PeerCredentials> peerCredentials() {
    return Optional.ofNullable(credentials);
  }
}
