package dev.jnet.tcp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnet's TLS client against {@code openssl s_server}: a self-signed server refused with Node's
 * code, and a stream that goes on, byte for byte, across a TLS 1.2 renegotiation and a TLS 1.3 key
 * update that the server starts mid-stream.
 */
@Timeout(60)
class TlsOpensslPeerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir static Path dir;
  private static TlsCredentials credentials;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("sh", "-c", "command -v openssl").start().waitFor() == 0,
        "openssl is not installed");
    credentials = TlsCredentials.selfSigned("localhost");
    Files.writeString(dir.resolve("key.pem"), credentials.keyPem());
    Files.writeString(dir.resolve("cert.pem"), credentials.certificatePem());
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  /** s_server's stdout, collected, with a bounded wait for some text. */
  private static final class Output {
    private final StringBuilder text = new StringBuilder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    Output(InputStream in) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[4096];
                try {
                  for (int n; (n = in.read(b)) > 0; ) {
                    lock.lock();
                    try {
                      text.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                      changed.signalAll();
                    } finally {
                      lock.unlock();
                    }
                  }
                } catch (IOException e) {
                  // the process is gone
                }
              });
      t.setDaemon(true);
      t.start();
    }

    void await(String what) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      lock.lock();
      try {
        while (!text.toString().contains(what)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("s_server never printed " + what + ": " + text);
          }
          changed.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private Process server(int port, String version) throws IOException {
    return server(port, version, List.of());
  }

  /** s_server, run under {@code before} (such as {@code stdbuf -oL}). */
  private Process server(int port, String version, List<String> before) throws IOException {
    List<String> command = new java.util.ArrayList<>(before);
    command.addAll(
        List.of(
            "openssl",
            "s_server",
            "-key",
            dir.resolve("key.pem").toString(),
            "-cert",
            dir.resolve("cert.pem").toString(),
            "-accept",
            "127.0.0.1:" + port,
            version));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static TlsSocket connect(int port, TlsOptions options) throws Exception {
    NetException last = null;
    for (int i = 0; i < 100; i++) { // s_server starts listening a moment after it starts
      TlsSocket s = Tls.connect(Endpoint.parse("tcp://localhost:" + port), options);
      try {
        s.secureConnected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return s;
      } catch (java.util.concurrent.ExecutionException e) {
        last = (NetException) e.getCause();
        if (last.code() != ErrorCode.ECONNREFUSED) {
          throw last;
        }
        Thread.sleep(50); // a retry of a refused connect, not a wait for an event
      }
    }
    throw last;
  }

  @Test
  void aSelfSignedServerIsRefusedWithNodesCode() throws Exception {
    int port = freePort();
    server(port, "-tls1_3");
    NetException e = null;
    try {
      connect(port, TlsOptions.defaults());
    } catch (NetException refused) {
      e = refused;
    }
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.DEPTH_ZERO_SELF_SIGNED_CERT);
  }

  @Test
  void theStreamGoesOnAcrossARenegotiationTheServerStarts() throws Exception {
    keysRenewedMidStream("-tls1_2", "r", List.of()); // renegotiate
  }

  /**
   * A TLS 1.3 key update that s_server starts and asks jnet to answer ({@code K}): the stream goes
   * on under the new keys both ways. s_server prints that it sent it with {@code printf}, which a
   * pipe buffers: it runs under {@code stdbuf -oL}, and the test goes on once the line is there.
   */
  @Test
  void theStreamGoesOnAcrossAKeyUpdateTheServerStartsAndAsksFor() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("sh", "-c", "command -v stdbuf").start().waitFor() == 0,
        "stdbuf (coreutils) is not on the PATH");
    keysRenewedMidStream("-tls1_3", "K", List.of("stdbuf", "-oL"));
  }

  /**
   * s_server sends "before", renews its keys with {@code command}, sends "after"; jnet must read
   * both, then its own bytes must reach s_server, with no error.
   */
  private void keysRenewedMidStream(String version, String command, List<String> before)
      throws Exception {
    int port = freePort();
    Process p = server(port, version, before);
    Output out = new Output(p.getInputStream());
    TlsSocket s = connect(port, TlsOptions.defaults().withCa(List.of(credentials.certificate())));
    StringBuilder got = new StringBuilder();
    ReentrantLock lock = new ReentrantLock();
    Condition changed = lock.newCondition();
    CompletableFuture<NetException> error = new CompletableFuture<>();
    s.onError(error::complete);
    s.onData(
        d -> {
          lock.lock();
          try {
            got.append(StandardCharsets.UTF_8.decode(d));
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        });
    OutputStream in = p.getOutputStream();
    in.write("before\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
    awaitText(got, lock, changed, "before\n", version);
    in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
    in.flush();
    // s_server takes a whole read of its stdin as one command: "after" may go only once the
    // renegotiation or key update is done (it says so); then it goes under the new keys
    out.await("SSL_do_handshake -> 1");
    in.write("after\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
    awaitText(got, lock, changed, "before\nafter\n", version);
    s.write("from jnet\n");
    out.await("from jnet");
    assertThat(error).as(version).isNotDone();
    s.destroy();
  }

  private static void awaitText(
      StringBuilder got, ReentrantLock lock, Condition changed, String text, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    lock.lock();
    try {
      while (!got.toString().equals(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(what + ": expected " + text + " but got " + got);
        }
        changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }
}
