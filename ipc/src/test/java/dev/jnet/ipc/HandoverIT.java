package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.testkit.ForeignConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-downtime handover between two real processes: this JVM serves "old" on an abstract name,
 * passes the listening socket to a new JVM ({@link HandoverChild}) that serves "new", and closes
 * its server once the new one confirms; a client connects in a loop throughout and no attempt is
 * refused or lost.
 */
@DisabledIfSystemProperty(
    named = "jnet.transport",
    matches = "nio",
    disabledReason =
        "a handover passes the listening descriptor, which needs the epoll engine (FD_PASSING)")
class HandoverIT {
  @TempDir Path dir;

  @Test
  void aClientConnectingThroughoutTheHandoverOfAnAbstractNameIsNeverRefused() throws Exception {
    handOver(new Endpoint.Unix("jnet-handover-" + ProcessHandle.current().pid(), true));
  }

  @Test
  void aClientConnectingThroughoutTheHandoverOfASocketPathIsNeverRefusedAndTheFileStays()
      throws Exception {
    Path sock = dir.resolve("served.sock");
    handOver(new Endpoint.Unix(sock.toString(), false));
    assertThat(sock).as("the old server's close left the socket file to the new process").exists();
  }

  private void handOver(Endpoint.Unix name) throws Exception {
    Server old = Net.createServer(s -> s.end("old"));
    old.listen(name).toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<String> answers = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean handedOver = new AtomicBoolean();
    ConcurrentHashMap<String, Integer> afterHandover = new ConcurrentHashMap<>();
    CompletableFuture<Void> client =
        CompletableFuture.runAsync(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
              while (System.nanoTime() < deadline && afterHandover.getOrDefault("new", 0) < 50) {
                try (ForeignConnection c = new JunixPeer().connect(name)) {
                  String a = new String(c.readToEof(Duration.ofSeconds(5)), StandardCharsets.UTF_8);
                  answers.add(a);
                  if (handedOver.get()) {
                    afterHandover.merge(a, 1, Integer::sum);
                  }
                } catch (java.io.IOException | RuntimeException e) {
                  failures.add(e.toString());
                }
              }
            });

    Path rendezvous = dir.resolve("handover.sock");
    var offered =
        Handover.offer(
            old, new Endpoint.Unix(rendezvous.toString(), false), Duration.ofSeconds(20));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HandoverChild.class.getName(),
                rendezvous.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      offered.toCompletableFuture().get(30, TimeUnit.SECONDS);
      old.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      handedOver.set(true);
      String ready =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return new BufferedReader(
                              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                          .readLine();
                    } catch (java.io.IOException e) {
                      return e.toString();
                    }
                  })
              .get(20, TimeUnit.SECONDS);
      // The new process's server.address() is the name the kernel knows: SafeBind binds the path
      // itself.
      assertThat(ready).isEqualTo("ready " + name);
      client.get(40, TimeUnit.SECONDS);
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    assertThat(failures).as("refused or lost attempts").isEmpty();
    assertThat(answers)
        .as("every answer came from one of the two servers")
        .containsOnly("old", "new");
    assertThat(answers).as("both servers answered").contains("old", "new");
    assertThat(afterHandover.getOrDefault("old", 0))
        .as("old answers after the old server closed")
        .isZero();
  }
}
