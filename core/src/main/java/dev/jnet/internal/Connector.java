package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.SocketOptions;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.SystemErrors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.SocketAddress;

/**
 * How a client {@link DefaultSocket} gets its channel: resolve the target through its transport,
 * create and configure the channel, check the peer's credentials where the options ask, register
 * and connect. Every failure destroys the socket with a Node-style error; success hands over to
 * {@link SocketLife#onConnected()}. Accepted sockets never have one.
 *
 * <p>Threads: confined to the socket's loop; it lives only while the socket connects.
 */
final class Connector {
  private final DefaultSocket socket;
  private final Engine engine;
  private final ChannelTransport transport;
  private final Endpoint target;
  private final SocketOptions options;
  private final ChannelSettings settings;

  Connector(
      DefaultSocket socket,
      Engine engine,
      ChannelTransport transport,
      Endpoint target,
      SocketOptions options,
      ChannelSettings settings) {
    this.socket = socket;
    this.engine = engine;
    this.transport = transport;
    this.target = target;
    this.options = options;
    this.settings = settings;
  }

  /** Resolves the target's address, then opens a channel to it. */
  void start() {
    if (socket.life.destroyed()) {
      return;
    }
    transport
        .remoteAddress(engine, target)
        .whenComplete(
            (addr, err) ->
                socket.run(
                    () -> {
                      if (err != null) {
                        fail(err);
                      } else {
                        openChannel(addr);
                      }
                    }));
  }

  private void fail(Throwable cause) {
    socket.life.destroyInternal(SystemErrors.map(cause, "connect", target.address()));
  }

  private void openChannel(SocketAddress address) {
    if (socket.life.destroyed()) {
      return;
    }
    Channel ch;
    try {
      ch = transport.newChannel(engine, target, address);
      ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      long ms = options.connectTimeout().toMillis();
      ch.config()
          .setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, ms));
      settings.configure(ch);
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: a native library or class the transport needs is missing
      fail(e);
      return;
    }
    if (!requirePeer(ch)) {
      return;
    }
    socket.life.attach(ch);
    socket
        .loop
        .register(ch)
        .addListener(
            rf -> {
              if (!rf.isSuccess()) {
                fail(rf.cause());
              } else if (socket.life.destroyed()) {
                ch.close();
              } else if (ch.isActive()) {
                socket.life.onConnected(); // a descriptor that was connected already (fd:N)
              } else {
                ch.connect(address)
                    .addListener(
                        cf -> {
                          if (cf.isSuccess()) {
                            socket.life.onConnected();
                          } else {
                            fail(cf.cause());
                          }
                        });
              }
            });
  }

  /**
   * Installs the check of {@link SocketOptions#withPeerUid}/{@code withPeerGid} ({@link
   * PeerRequirement}) on a new client channel; where the transport cannot report credentials, fails
   * the connect before any is attempted.
   *
   * @return false if the connect failed
   */
  private boolean requirePeer(Channel ch) {
    NetException refused = PeerRequirement.install(ch, transport, engine.name(), target, options);
    if (refused != null) {
      ch.unsafe().closeForcibly();
      socket.life.destroyInternal(refused);
    }
    return refused == null;
  }
}
