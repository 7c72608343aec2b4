package dev.jnet.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.Heartbeat;
import dev.jnet.message.MessageClient;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageServerOptions;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import dev.jnet.message.ReconnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
      case "requester" -> requester(ep, heartbeat(args[2]), Long.parseLong(args[3]));
      case "sender" ->
          sender(ep, heartbeat(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
      case "request" -> request(ep, Long.parseLong(args[2]));
      case "keepalive" -> keepalive(ep, Long.parseLong(args[2]));
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

  private static void requester(Endpoint ep, Heartbeat hb, long periodMs) throws Exception {
    MessageClient client =
        MessageClient.connect(
            ep,
            Framing.lengthPrefixed(),
            ReconnectOptions.defaults()
                .withDelays(Duration.ofMillis(100), Duration.ofMillis(500))
                .withSocketOptions(
                    SocketOptions.defaults().withConnectTimeout(Duration.ofSeconds(1)))
                .withHeartbeat(hb));
    java.util.concurrent.atomic.AtomicReference<Messenger> current =
        new java.util.concurrent.atomic.AtomicReference<>();
    client.onConnect(
        c -> {
          current.set(Messenger.of(c));
          say("connect t=" + now());
        });
    client.onDisconnect(
        e -> {
          current.set(null);
          say("disconnect " + e.map(x -> x.code().toString()).orElse("clean") + " t=" + now());
        });
    AtomicInteger last = new AtomicInteger();
    AtomicInteger replied = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger pending = new AtomicInteger();
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    var sending =
        timer.scheduleAtFixedRate(
            () -> {
              int n = last.incrementAndGet();
              Messenger m = current.get();
              if (m == null) {
                refused.incrementAndGet();
                return;
              }
              pending.incrementAndGet();
              m.request(UTF_8.encode(Integer.toString(n)), Duration.ofSeconds(2))
                  .whenComplete(
                      (body, err) -> {
                        if (err == null) {
                          say("replied " + replied.incrementAndGet());
                        } else {
                          Throwable c =
                              err instanceof java.util.concurrent.CompletionException
                                  ? err.getCause()
                                  : err;
                          String code =
                              c instanceof dev.jnet.NetException ne
                                  ? ne.code().toString()
                                  : c.getClass().getSimpleName();
                          failures.merge(code, 1, Integer::sum);
                          say("request-failed " + n + " " + c.getMessage());
                        }
                        pending.decrementAndGet();
                      });
            },
            0,
            periodMs,
            TimeUnit.MILLISECONDS);
    commands(
        cmd -> {
          sending.cancel(false);
          timer.scheduleAtFixedRate(
              () -> {
                if (pending.get() == 0) {
                  say(
                      "summary sent="
                          + last.get()
                          + " replied="
                          + replied.get()
                          + " failed="
                          + failures.values().stream().mapToInt(Integer::intValue).sum()
                          + " refused="
                          + refused.get()
                          + " codes="
                          + new java.util.TreeMap<>(failures));
                  timer.shutdown();
                }
              },
              0,
              50,
              TimeUnit.MILLISECONDS);
        });
  }

  private static void sender(Endpoint ep, Heartbeat hb, long periodMs, long keepAliveS)
      throws Exception {
    SocketOptions so = SocketOptions.defaults().withConnectTimeout(Duration.ofSeconds(1));
    if (keepAliveS > 0) {
      so = so.withKeepAlive(true, Duration.ofSeconds(keepAliveS));
    }
    MessageClient client =
        MessageClient.connect(
            ep,
            Framing.lines(),
            ReconnectOptions.defaults()
                .withDelays(Duration.ofMillis(100), Duration.ofMillis(500))
                .withSocketOptions(so)
                .withHeartbeat(hb));
    Tally tally = new Tally();
    client.onConnect(c -> say("connect t=" + now()));
    client.onDisconnect(
        e -> say("disconnect " + e.map(x -> x.code().toString()).orElse("clean") + " t=" + now()));
    client.onMessage(m -> tally.ack(Integer.parseInt(UTF_8.decode(m).toString().substring(4))));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    var sending =
        timer.scheduleAtFixedRate(
            () -> {
              int n = tally.next();
              client
                  .send(UTF_8.encode(Integer.toString(n)))
                  .whenComplete((ok, err) -> tally.sent(n, err));
            },
            0,
            periodMs,
            TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(tally::expire, 100, 100, TimeUnit.MILLISECONDS);
    commands(
        cmd -> {
          sending.cancel(false);
          timer.scheduleAtFixedRate(tally::summaryWhenSettled, 0, 50, TimeUnit.MILLISECONDS);
        });
  }

  /**
   * What became of each message of the sender: acked by the server; failed (its stage failed: jnet
   * reported it); unacked (its frame reached the kernel, no ack came within 3 s: the application's
   * deadline reported it). A message is in exactly one of these, or still pending.
   */
  private static final class Tally {
    private static final long ACK_DEADLINE = TimeUnit.SECONDS.toNanos(3);
    private final Map<Integer, Long> awaiting = new ConcurrentHashMap<>();
    private final AtomicInteger last = new AtomicInteger();
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger unacked = new AtomicInteger();
    private boolean printed;

    int next() {
      int n = last.incrementAndGet();
      awaiting.put(n, 0L); // queued: the ack clock starts when the frame reaches the kernel
      return n;
    }

    void sent(int n, Throwable err) {
      if (err == null) {
        awaiting.computeIfPresent(n, (k, v) -> System.nanoTime());
      } else if (awaiting.remove(n) != null) {
        failed.incrementAndGet();
        say("failed " + n + " " + err.getMessage());
      }
    }

    void ack(int n) {
      if (awaiting.remove(n) != null) {
        say("acked " + acked.incrementAndGet());
      } else {
        say("late-ack " + n);
      }
    }

    void expire() {
      long now = System.nanoTime();
      awaiting.forEach(
          (k, at) -> {
            if (at != 0 && now - at > ACK_DEADLINE && awaiting.remove(k) != null) {
              unacked.incrementAndGet();
              say("unacked " + k);
            }
          });
    }

    synchronized void summaryWhenSettled() {
      if (!printed && awaiting.isEmpty()) {
        printed = true;
        say(
            "summary sent="
                + last.get()
                + " acked="
                + acked.get()
                + " failed="
                + failed.get()
                + " unacked="
                + unacked.get());
      }
    }
  }

  private static void request(Endpoint ep, long timeoutMs) throws Exception {
    MessageSocket ms = MessageSocket.wrap(Net.createConnection(ep), Framing.lengthPrefixed());
    Messenger m = Messenger.of(ms);
    ms.socket().orElseThrow().connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
    say("connected");
    commands(
        cmd -> {
          long start = System.nanoTime();
          m.request(UTF_8.encode(cmd), Duration.ofMillis(timeoutMs))
              .whenComplete(
                  (body, err) -> {
                    long ms2 = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    say(
                        err == null
                            ? "reply " + UTF_8.decode(body) + " ms=" + ms2
                            : "request-failed " + err.getMessage() + " ms=" + ms2);
                  });
        });
  }

  private static void keepalive(Endpoint ep, long idleSeconds) throws Exception {
    Socket s = Net.createConnection(ep, SocketOptions.defaults());
    s.setKeepAlive(true, Duration.ofSeconds(idleSeconds));
    s.onError(e -> say("error " + e.code() + " t=" + now()));
    s.onData(b -> {});
    s.connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
    say("connected t=" + now());
    commands(cmd -> {});
  }

  /** Runs each line of stdin as a command; returns at its end. */
  private static void commands(java.util.function.Consumer<String> run) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      run.accept(line.trim());
    }
    System.exit(0);
  }
}
