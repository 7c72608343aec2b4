package dev.jnet.cli.serve;

import dev.jnet.Endpoint;
import dev.jnet.PeerCredentials;
import dev.jnet.Socket;
import dev.jnet.cli.proc.ProcessInfo;
import java.util.Optional;

/**
 * How a listener names an accepted peer: its address, and for a Unix socket its pid, uid, gid and
 * command line.
 */
public final class Peers {
  private Peers() {}

  /**
   * Describes the peer of an accepted socket: {@code 127.0.0.1:40312}, or {@code pid=4242 uid=1000
   * gid=1000 cmd="node client.js"} for a Unix socket.
   *
   * @param socket the accepted socket
   * @return the description
   */
  public static String describe(Socket socket) {
    return describe(socket.remoteAddress(), socket.peerCredentials());
  }

  /**
   * Describes a peer from its address and credentials, as {@link #describe(Socket)}.
   *
   * @param remote the peer's address, if any
   * @param creds its credentials, if any
   * @return the label
   */
  public static String describe(Optional<Endpoint> remote, Optional<PeerCredentials> creds) {
    String address = remote.map(Endpoint::address).filter(a -> !a.isEmpty()).orElse("");
    if (creds.isEmpty()) {
      return address.isEmpty() ? "?" : address;
    }
    PeerCredentials c = creds.get();
    String who =
        "pid="
            + c.pid()
            + " uid="
            + c.uid()
            + " gid="
            + c.gid()
            + " cmd=\""
            + ProcessInfo.commandLine(c.pid()).replace("\"", "\\\"")
            + "\"";
    return address.isEmpty() ? who : address + " " + who;
  }
}
