package dev.jnet.spi;

import dev.jnet.SocketOptions;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Who a client requires its server to be ({@link SocketOptions#withPeerUid(int)}, {@link
 * SocketOptions#withPeerGid(int)}). Core checks it itself once the transport's connect completes,
 * before any byte is written; a transport that can check earlier (a {@code pipe:} client, before it
 * announces itself) reads it from its channel with {@link #of(Channel)} and fails the connect with
 * {@code EACCES} on a mismatch.
 *
 * <p>Threading: immutable, safe to share.
 *
 * @param uid the required uid, or empty
 * @param gid the required gid, or empty
 */
public record PeerExpectation(OptionalInt uid, OptionalInt gid) {
  /** Where core puts the expectation on a client channel that has one, before it connects. */
  public static final AttributeKey<PeerExpectation> KEY =
      AttributeKey.valueOf("jnet.peerExpectation");

  /**
   * Returns the expectation on a client channel.
   *
   * @param channel the channel being connected
   * @return the expectation, empty when the user set none
   */
  public static Optional<PeerExpectation> of(Channel channel) {
    return Optional.ofNullable(channel.attr(KEY).get());
  }
}
