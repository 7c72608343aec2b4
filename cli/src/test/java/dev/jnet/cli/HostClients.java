package dev.jnet.cli;

import static dev.jnet.cli.HostPeer.commands;
import static dev.jnet.cli.HostPeer.now;
import static dev.jnet.cli.HostPeer.say;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.Heartbeat;
import dev.jnet.message.MessageClient;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import dev.jnet.message.ReconnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The client modes of {@link HostPeer}: each prints one line per event and obeys stdin. */
final class HostClients {
  private HostClients() {}

  static void requester(Endpoint ep, Heartbeat hb, long periodMs) throws Exception {
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

  static void sender(Endpoint ep, Heartbeat hb, long periodMs, long keepAliveS) throws Exception {
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
    private final List<Long> ackMicros = Collections.synchronizedList(new ArrayList<>());
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
      Long at = awaiting.remove(n);
      if (at != null) {
        if (at != 0) {
          ackMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - at));
        }
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

    /** The send-to-ack times of the acked messages: " ack-ms p50=.. p99=.. max=..". */
    private String ackTimes() {
      List<Long> t = new ArrayList<>(ackMicros);
      if (t.isEmpty()) {
        return "";
      }
      Collections.sort(t);
      return String.format(
          " ack-ms p50=%.1f p99=%.1f max=%.1f",
          t.get(t.size() / 2) / 1000.0,
          t.get(t.size() * 99 / 100) / 1000.0,
          t.get(t.size() - 1) / 1000.0);
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
                + unacked.get()
                + ackTimes());
      }
    }
  }

  static void request(Endpoint ep, long timeoutMs) throws Exception {
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

  static void keepalive(Endpoint ep, long idleSeconds) throws Exception {
    Socket s = Net.createConnection(ep, SocketOptions.defaults());
    s.setKeepAlive(true, Duration.ofSeconds(idleSeconds));
    s.onError(e -> say("error " + e.code() + " t=" + now()));
    s.onData(b -> {});
    s.connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
    say("connected t=" + now());
    commands(cmd -> {});
  }
}
