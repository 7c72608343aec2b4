package dev.jnet.cli.serve;

import dev.jnet.ErrorCode;
import dev.jnet.Server;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * The one-line-per-event log of a listening command on stderr:
 *
 * <pre>
 * #1 accept 127.0.0.1:40312
 * #1 close 127.0.0.1:40312 in=1048576 out=1048576 time=35ms
 * #2 close 127.0.0.1:40320 in=512 out=0 time=2ms error=ECONNRESET
 * drop pid=4242 uid=65534 gid=65534 cmd="nc -U @svc" (uid 65534 is not this server's (...))
 * </pre>
 */
public final class ConnectionLog {
  private final PrintWriter err;
  private final boolean enabled;

  public ConnectionLog(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  public void accepted(long id, String peer) {
    if (enabled) {
      err.println(acceptLine(id, peer));
    }
  }

  public void closed(
      long id, String peer, long in, long out, Duration time, Optional<ErrorCode> error) {
    if (enabled) {
      err.println(closeLine(id, peer, in, out, time, error));
    }
  }

  /**
   * The line for a connection the server turned away ({@link Server#onDrop}): who, and why.
   *
   * @param d the drop
   * @return {@code drop pid=12 uid=65534 gid=65534 cmd="..." (uid 65534 is not ...)}
   */
  public static String dropLine(Server.Drop d) {
    return "drop " + Peers.describe(d.remoteAddress(), d.peer()) + " (" + d.reason() + ")";
  }

  public static String acceptLine(long id, String peer) {
    return "#" + id + " accept " + peer;
  }

  public static String closeLine(
      long id, String peer, long in, long out, Duration time, Optional<ErrorCode> error) {
    return "#"
        + id
        + " close "
        + peer
        + " in="
        + in
        + " out="
        + out
        + " time="
        + time.toMillis()
        + "ms"
        + error.map(e -> " error=" + e.name()).orElse("");
  }
}
