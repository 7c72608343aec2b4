package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.PeerCredentials;
import dev.jnet.SocketOptions;
import dev.jnet.spi.Capability;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.PeerExpectation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A client's requirement on who the server is ({@link SocketOptions#withPeerUid(int)}, {@link
 * SocketOptions#withPeerGid(int)}), checked when the transport's connect completes and before the
 * socket counts as connected, so before any byte of the user's (even one written before the connect
 * completed) is written.
 *
 * <p>It sits in the client channel's pipeline and intercepts {@code connect}: where the transport
 * cannot report the peer's credentials it is refused by {@link #install} before any connection is
 * attempted ({@code ENOTSUP}); otherwise the connect promise succeeds only if the peer's uid and
 * gid match, and fails with {@code EACCES} otherwise. A transport that can check earlier (a {@code
 * pipe:} client, before it writes its announcement) finds the requirement as a {@link
 * PeerExpectation} on its channel.
 *
 * <p>Threading: one instance per channel, used on its event loop.
 */
public final class PeerRequirement extends ChannelOutboundHandlerAdapter {

  private final OptionalInt uid;
  private final OptionalInt gid;
  private final ChannelTransport transport;
  private final String endpoint;

  private PeerRequirement(
      OptionalInt uid, OptionalInt gid, ChannelTransport transport, String endpoint) {
    this.uid = uid;
    this.gid = gid;
    this.transport = transport;
    this.endpoint = endpoint;
  }

  /**
   * Adds the check to a new client channel if the options ask for one.
   *
   * @param ch the channel, not yet registered
   * @param transport its transport
   * @param engine the engine's name
   * @param target where it connects
   * @param options the socket's options
   * @return null, or the error to fail the connect with: the transport cannot know the peer's
   *     credentials
   */
  public static NetException install(
      Channel ch,
      ChannelTransport transport,
      String engine,
      Endpoint target,
      SocketOptions options) {
    if (options.peerUid().isEmpty() && options.peerGid().isEmpty()) {
      return null;
    }
    String ep = target.address();
    if (!transport.capabilities(target, engine).contains(Capability.PEER_CREDENTIALS)) {
      return NetException.withMessage(
          ErrorCode.ENOTSUP,
          "connect",
          ep,
          "connect ENOTSUP "
              + ep
              + " (peerUid/peerGid need the peer's credentials, which "
              + transport.scheme()
              + ": under the "
              + engine
              + " engine cannot report; nothing was sent)");
    }
    PeerRequirement r = new PeerRequirement(options.peerUid(), options.peerGid(), transport, ep);
    ch.attr(PeerExpectation.KEY).set(new PeerExpectation(options.peerUid(), options.peerGid()));
    ch.pipeline().addLast(r);
    return null;
  }

  /**
   * Checks credentials against the requirement.
   *
   * @param peer the peer's credentials, empty if unknown
   * @param endpoint for the error
   * @return null if they match, else the {@code EACCES} error naming expected and actual ids
   */
  public NetException check(Optional<PeerCredentials> peer, String endpoint) {
    if (peer.isEmpty()) {
      return denied(endpoint, "the peer's credentials could not be read");
    }
    PeerCredentials c = peer.get();
    if (uid.isPresent() && uid.getAsInt() != c.uid()) {
      return denied(
          endpoint, "the server runs as uid " + c.uid() + ", expected uid " + uid.getAsInt());
    }
    if (gid.isPresent() && gid.getAsInt() != c.gid()) {
      return denied(
          endpoint, "the server runs as gid " + c.gid() + ", expected gid " + gid.getAsInt());
    }
    return null;
  }

  private static NetException denied(String endpoint, String why) {
    return NetException.withMessage(
        ErrorCode.EACCES,
        "connect",
        endpoint,
        "connect EACCES " + endpoint + " (" + why + "; nothing was sent)");
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remote,
      SocketAddress local,
      ChannelPromise promise) {
    ChannelPromise inner = ctx.newPromise();
    inner.addListener(
        f -> {
          if (!f.isSuccess()) {
            promise.tryFailure(f.cause());
            return;
          }
          NetException denied = check(transport.peerCredentials(ctx.channel()), endpoint);
          if (denied == null) {
            ctx.pipeline().remove(this);
            if (!promise.trySuccess()) {
              ctx.channel().close();
            }
          } else if (!promise.tryFailure(denied)) {
            ctx.channel().close();
          }
        });
    ctx.connect(remote, local, inner);
  }
}
