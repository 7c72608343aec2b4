package dev.jnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A delay line on the router, for a kernel without {@code sch_netem}: R's {@code FORWARD} chain
 * hands every forwarded packet to netfilter queue 0 ({@code iptables -A FORWARD -j NFQUEUE}), and
 * this small program, run in R, tells the kernel when to let each one go (its verdict, by packet
 * id). The packets stay in R's kernel the whole time: the program asks for their metadata only
 * ({@code NFQNL_COPY_META}), never reads or writes a byte of them, and accepts each one after a
 * delay it draws: {@code DELAY_MS} plus or minus a uniform {@code JITTER_MS}, or none for a share
 * {@code PROMPT_PCT} of packets (which overtake the delayed ones: netem's {@code reorder}). A
 * packet whose delay ends first leaves first, so jitter reorders too, as with netem.
 *
 * <p>Python 3 speaks the netfilter netlink protocol with the standard library alone ({@code
 * AF_NETLINK}); Java 17 cannot open a netlink socket. It prints {@code ready} once bound, and on
 * {@code report} (stdin) how many packets it held, how many left out of their arrival order, and
 * their mean delay. If it dies, queued packets are dropped, never passed undelayed.
 */
final class HostsDelayLine {
  private HostsDelayLine() {}

  /**
   * Writes the program into a directory.
   *
   * @param dir where
   * @return the file, to run as {@code python3 FILE QUEUE DELAY_MS JITTER_MS PROMPT_PCT}
   */
  static Path write(Path dir) throws IOException {
    return Files.writeString(dir.resolve("delay-line.py"), SCRIPT);
  }

  private static final String SCRIPT =
      """
      import heapq, os, random, select, socket, struct, sys, time

      QUEUE = int(sys.argv[1])
      DELAY = float(sys.argv[2]) / 1000      # base delay, s
      JITTER = float(sys.argv[3]) / 1000     # uniform +- jitter, s
      PROMPT = float(sys.argv[4]) / 100      # share sent at once (reordering)
      SUBSYS_QUEUE, MSG_PACKET, MSG_VERDICT, MSG_CONFIG = 3, 0, 1, 2
      REQUEST, ACK = 1, 4
      NLMSG_ERROR = 2

      s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
      s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)               # SO_RCVBUFFORCE
      s.bind((0, 0))
      seq = 0

      def attr(kind, data):
          n = 4 + len(data)
          return struct.pack("=HH", n, kind) + data + b"\\0" * (-n % 4)

      def send(msg, attrs, flags=REQUEST):
          global seq
          seq += 1
          body = struct.pack("!BBH", socket.AF_UNSPEC, 0, QUEUE) + b"".join(attrs)
          s.send(struct.pack("=IHHII", 16 + len(body), (SUBSYS_QUEUE << 8) | msg, flags, seq, 0) + body)

      def acked():
          data = s.recv(65536)
          length, kind = struct.unpack_from("=IH", data)
          if kind != NLMSG_ERROR or struct.unpack_from("=i", data, 16)[0] != 0:
              sys.exit("nfqueue config refused: " + data.hex())

      send(MSG_CONFIG, [attr(1, struct.pack("!BBH", 1, 0, 0))], REQUEST | ACK)  # CMD BIND
      acked()
      send(MSG_CONFIG, [attr(2, struct.pack("!IB", 0, 1)),                    # PARAMS copy meta only
                        attr(3, struct.pack("!I", 65536))], REQUEST | ACK)    # QUEUE_MAXLEN
      acked()
      print("ready", flush=True)

      held, seqno, released, last, out_of_order, delays = [], 0, 0, -1, 0, 0.0
      while True:
          timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
          r, _, _ = select.select([s, sys.stdin], [], [], timeout)
          if sys.stdin in r:
              line = sys.stdin.readline()
              if not line:
                  break
              print("held=%d released=%d out-of-order=%d mean-delay-ms=%.1f" % (seqno, released,
                    out_of_order, 1000 * delays / max(released, 1)), flush=True)
          if s in r:
              data = s.recv(1 << 20)
              off = 0
              while off < len(data):
                  length, kind = struct.unpack_from("=IH", data, off)
                  if kind == (SUBSYS_QUEUE << 8) | MSG_PACKET:
                      a = off + 20
                      while a < off + length:
                          alen, atype = struct.unpack_from("=HH", data, a)
                          if atype & 0x7fff == 1:   # PACKET_HDR: be32 id
                              pid = struct.unpack_from("!I", data, a + 4)[0]
                              now = time.monotonic()
                              d = 0.0 if random.random() < PROMPT else max(0.0, DELAY + random.uniform(-JITTER, JITTER))
                              heapq.heappush(held, (now + d, seqno, pid, now))
                              seqno += 1
                          a += (alen + 3) & ~3
                  elif kind == NLMSG_ERROR and struct.unpack_from("=i", data, off + 16)[0] != 0:
                      sys.exit("nfqueue error: " + data[off:off + length].hex())
                  off += (length + 3) & ~3
          now = time.monotonic()
          while held and held[0][0] <= now:
              _, n, pid, t = heapq.heappop(held)
              send(MSG_VERDICT, [attr(2, struct.pack("!II", 1, pid))])    # VERDICT_HDR accept
              released += 1
              delays += now - t
              out_of_order += n < last
              last = max(last, n)
      """;
}
