package dev.jnet.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnet.Endpoint;
import dev.jnet.message.Framing;
import dev.jnet.message.Heartbeat;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.Messenger;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jnet side of {@code HostsIT}, run in a network namespace as a child JVM ({@code ip netns exec
 * NS java -cp jnet.jar:test-classes dev.jnet.cli.HostPeer MODE ...}). Every event is one line on
 * stdout, which the test waits for; times are milliseconds of this JVM's monotonic clock.
 *
 * <ul>
 *   <li>{@code acks ENDPOINT HEARTBEAT_MS}: a message server (lines) that answers each message
 *       {@code N} with {@code ack N}; {@code report} on stdin prints how many it received and how
 *       many were duplicates.
 *   <li>{@code echo-requests ENDPOINT}: a message server answering requests with their body.
 *   <li>{@code replies ENDPOINT HEARTBEAT_MS}: the same with a heartbeat, counting duplicates;
 *       {@code report} on stdin prints them.
 *   <li>{@code requester ENDPOINT HEARTBEAT_MS PERIOD_MS}: a reconnecting client making one request
 *       (2 s timeout) every period through a {@link Messenger} on its current connection, until a
 *       line on stdin; then, once every request is settled, a summary: replied, failed (with jnet's
 *       error codes), refused (no connection at that moment: not sent).
 *   <li>{@code sender ENDPOINT HEARTBEAT_MS PERIOD_MS KEEPALIVE_S}: a reconnecting client sending
 *       {@code N} every period until a line on stdin, then, once every message is settled, a
 *       summary (see {@code Tally}).
 *   <li>{@code request ENDPOINT TIMEOUT_MS}: one request per line of stdin, its outcome printed.
 *   <li>{@code keepalive ENDPOINT IDLE_S}: a raw socket with {@code setKeepAlive(true, IDLE_S)}
 *       that prints its error.
 * </ul>
 */
final class HostPeer {
  private static final long T0 = System.nanoTime();

  private HostPeer() {}

  static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - T0);
  }

  static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    Endpoint ep = Endpoint.parse(args[1]);
    switch (args[0]) {
      case "acks" -> acks(ep, heartbeat(args[2]));
      case "echo-requests" -> echoRequests(ep);
      case "replies" -> replies(ep, heartbeat(args[2]));
      case "requester" -> HostClients.requester(ep, heartbeat(args[2]), Long.parseLong(args[3]));
      case "sender" ->
          HostClients.sender(
              ep, heartbeat(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
      case "request" -> HostClients.request(ep, Long.parseLong(args[2]));
      case "keepalive" -> HostClients.keepalive(ep, Long.parseLong(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static Heartbeat heartbeat(String ms) {
    long v = Long.parseLong(ms);
    return v == 0 ? Heartbeat.off() : Heartbeat.every(Duration.ofMillis(v));
  }

  private static void acks(Endpoint ep, Heartbeat hb) throws Exception {
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger dups = new AtomicInteger();
    MessageServer server =
        MessageServer.create(
            MessageServerOptions.defaults().withFirstFrameTimeout(Duration.ZERO).withHeartbeat(hb),
            Framing.lines(),
            conn -> {
              say("accept t=" + now());
              conn.onError(e -> say("error " + e.code() + " t=" + now() + " " + e.getMessage()));
              conn.onMessage(
                  m -> {
                    String n = UTF_8.decode(m).toString();
                    if (seen.merge(n, 1, Integer::sum) > 1) {
                      dups.incrementAndGet();
                      say("dup " + n);
                    }
                    conn.send("ack " + n);
                  });
            });
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    say("listening " + ep);
    commands(cmd -> say("received=" + seen.size() + " dups=" + dups.get()));
  }

  private static void echoRequests(Endpoint ep) throws Exception {
    MessageServer server =
        MessageServer.create(
            MessageServerOptions.defaults().withFirstFrameTimeout(Duration.ZERO),
            Framing.lengthPrefixed(),
            conn -> Messenger.of(conn).onRequest((body, reply) -> reply.resolve(body)));
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    say("listening " + ep);
    commands(cmd -> {});
  }

  private static void replies(Endpoint ep, Heartbeat hb) throws Exception {
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger dups = new AtomicInteger();
    MessageServer server =
        MessageServer.create(
            MessageServerOptions.defaults().withFirstFrameTimeout(Duration.ZERO).withHeartbeat(hb),
            Framing.lengthPrefixed(),
            conn -> {
              conn.onError(e -> say("error " + e.code() + " t=" + now()));
              Messenger.of(conn)
                  .onRequest(
                      (body, reply) -> {
                        String n = UTF_8.decode(body.duplicate()).toString();
                        if (seen.merge(n, 1, Integer::sum) > 1) {
                          dups.incrementAndGet();
                          say("dup " + n);
                        }
                        reply.resolve(body);
                      });
            });
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    say("listening " + ep);
    commands(cmd -> say("received=" + seen.size() + " dups=" + dups.get()));
  }

  /** Runs each line of stdin as a command; returns at its end. */
  static void commands(java.util.function.Consumer<String> run) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      run.accept(line.trim());
    }
    System.exit(0);
  }
}
