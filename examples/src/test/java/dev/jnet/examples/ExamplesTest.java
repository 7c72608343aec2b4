package dev.jnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.security.auth.module.UnixSystem;
import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example as a user would, each in its own JVM, and checks what it prints. */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void quickStartPrintsTheEchoAndTheJvmExitsByItself() throws Exception {
    try (Example e = Example.start(QuickStart.class, "tcp://127.0.0.1:0")) {
      assertThat(e.exitCode()).as(e.err()).isZero();
      assertThat(e.out()).isEqualTo("hello");
    }
  }

  @Test
  void tlsEchoVerifiesTheServerAndPrintsTheEcho() throws Exception {
    try (Example e = Example.start(TlsEcho.class, "tcp://127.0.0.1:0")) {
      assertThat(e.exitCode()).as(e.err()).isZero();
      assertThat(e.out()).isEqualTo("TLSv1.3\nhello over TLS\n");
    }
  }

  @Test
  void unixServerPrintsEachClientsCredentials() throws Exception {
    Path sock = dir.resolve("app.sock");
    try (Example e = Example.start(UnixServer.class, sock.toString())) {
      assertThat(e.awaitLine("listening on ")).isEqualTo("listening on unix:" + sock);
      Socket client = Net.createConnection(Endpoint.parse("unix:" + sock));
      client.setEncoding(StandardCharsets.UTF_8);
      StringBuilder got = new StringBuilder();
      CompletableFuture<String> ended = new CompletableFuture<>();
      client.onText(got::append);
      client.onEnd(() -> ended.complete(got.toString()));
      client.onError(ended::completeExceptionally);
      assertThat(ended.get(Example.WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("bye\n");
      client.destroy();
      assertThat(e.awaitLine("pid "))
          .isEqualTo("pid " + ProcessHandle.current().pid() + " uid " + new UnixSystem().getUid());
    }
  }

  @Test
  void unixServerThatCannotListenSaysWhyInOneLineAndExitsOne() throws Exception {
    Path sock = dir.resolve("missing").resolve("app.sock");
    try (Example e = Example.start(UnixServer.class, sock.toString())) {
      assertThat(e.exitCode()).isEqualTo(1);
      assertThat(e.out()).isEmpty();
      assertThat(e.err()).startsWith("jnet example: listen ENOENT").doesNotContain("\tat ");
      assertThat(e.err().strip().lines()).hasSize(1);
    }
  }

  @Test
  void unixServerWithAGroupThatDoesNotExistSaysSoAndExitsOne() throws Exception {
    Path sock = dir.resolve("app.sock");
    try (Example e = Example.start(UnixServer.class, sock.toString(), "no-such-group-jnet")) {
      assertThat(e.exitCode()).isEqualTo(1);
      assertThat(e.err()).startsWith("jnet example: ").contains("no-such-group-jnet");
      assertThat(e.err().strip().lines()).hasSize(1);
    }
  }

  @Test
  void requestResponseGetsItsAnswerOverEachTransport() throws Exception {
    for (String where :
        new String[] {
          "unix:" + dir.resolve("app.sock"), "tcp://127.0.0.1:0", "pipe:" + dir.resolve("app.pipe")
        }) {
      try (Example e = Example.start(RequestResponse.class, where)) {
        assertThat(e.exitCode()).as(where + ": " + e.err()).isZero();
        assertThat(e.out()).as(where).isEqualTo("ping\n");
      }
    }
  }

  @Test
  void reconnectingClientDeliversWhatItQueuedOnceAndInOrder() throws Exception {
    try (Example e = Example.start(ReconnectingClient.class, "unix:" + dir.resolve("app.sock"))) {
      assertThat(e.exitCode()).as(e.err()).isZero();
      assertThat(e.out())
          .isEqualTo(
              "queued 3 while the server is down\n"
                  + "server got one\nserver got two\nserver got three\n");
    }
  }

  @Test
  void messageServerLimitsBroadcastsToItsSubscriber() throws Exception {
    try (Example e = Example.start(MessageServerLimits.class, "tcp://127.0.0.1:0")) {
      assertThat(e.exitCode()).as(e.err()).isZero();
      assertThat(e.out()).isEqualTo("subscriber got {\"tick\":1}\n");
    }
  }
}
