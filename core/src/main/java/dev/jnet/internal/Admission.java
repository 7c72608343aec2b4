package dev.jnet.internal;

import dev.jnet.Endpoint;
import dev.jnet.PeerCredentials;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.spi.Log;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;

/**
 * A server's admission rules, applied to each accepted socket before anything is read from it: the
 * uid and gid allow-lists of {@link ServerOptions}, then its authorizer. A server on an abstract
 * Unix name admits only this process's uid unless told otherwise, since abstract names have no
 * permissions; the address checked is the one bound, so an inherited listener ({@code fd:N}) on an
 * abstract name is guarded the same way.
 *
 * <p>Stateless; called on the server's loop.
 */
final class Admission {
  private Admission() {}

  /**
   * Applies the uid/gid allow-lists (an abstract name admits only our uid unless told otherwise)
   * and the authorizer, before anything is read from the socket.
   *
   * @return null if the socket is admitted, else why it is not (for the server's {@code drop})
   */
  static String refusal(ServerOptions options, Endpoint where, Socket s) {
    Set<Integer> uids = options.allowedUids();
    Set<Integer> gids = options.allowedGids();
    boolean abstractDefault = false;
    if (uids.isEmpty() && gids.isEmpty() && where instanceof Endpoint.Unix u && u.isAbstract()) {
      uids = Set.of(ProcessIds.uid());
      abstractDefault = true;
    }
    if (!uids.isEmpty() || !gids.isEmpty()) {
      Optional<PeerCredentials> c = s.peerCredentials();
      if (c.isEmpty()) {
        return "no peer credentials to check against the allowed uids and gids";
      }
      int uid = c.get().uid();
      int gid = c.get().gid();
      boolean ok =
          uids.contains(ServerOptions.ANY_ID)
              || gids.contains(ServerOptions.ANY_ID)
              || uids.contains(uid)
              || gids.contains(gid);
      if (!ok) {
        return abstractDefault
            ? "uid " + uid + " is not this server's (an abstract name admits only its own uid)"
            : "uid " + uid + " gid " + gid + " is not allowed";
      }
    }
    try {
      return options.authorizer().permits(s) ? null : "the authorizer refused it";
    } catch (RuntimeException e) {
      Log.get().log(Level.WARNING, "a jnet authorizer threw; the connection is rejected", e);
      return "the authorizer threw " + e;
    }
  }
}
