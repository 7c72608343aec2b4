package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fd:N} endpoints in a real child: python3 creates a socket, marks it inheritable and {@code
 * exec}s a JVM running {@link FdChild} on it (the pid stays the same, so {@code LISTEN_PID} can
 * name it). The test then talks to that child over the socket with plain JDK channels.
 */
class InheritedFdIT {
  private static final String LAUNCHER =
      String.join(
          "\n",
          "import os, socket, sys",
          "mode, kind, where = sys.argv[1], sys.argv[2], sys.argv[3]",
          "java = sys.argv[4:]",
          "fam = socket.AF_UNIX if kind == 'unix' else socket.AF_INET",
          "s = socket.socket(fam, socket.SOCK_STREAM)",
          "if mode == 'connect':",
          "    s.connect(where if kind == 'unix' else ('127.0.0.1', int(where)))",
          "else:",
          "    s.bind(where if kind == 'unix' else ('127.0.0.1', 0))",
          "    s.listen(64)",
          "    print('port %d' % (s.getsockname()[1] if kind == 'tcp' else 0), flush=True)",
          "fd = s.fileno()",
          "env = dict(os.environ)",
          "if mode == 'systemd':",
          "    if fd != 3: os.dup2(fd, 3); s.close()",
          "    os.set_inheritable(3, True)",
          "    env.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS='1', LISTEN_FDNAMES='web')",
          "    java = java + ['listen', 'systemd']",
          "else:",
          "    os.set_inheritable(fd, True)",
          "    java = java + [('listen' if mode == 'listen' else 'connect'), 'fd:%d' % fd]",
          "os.execve(java[0], java, env)");

  private final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void requirePython() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
  }

  @AfterEach
  void destroy() throws Exception {
    for (Process p : processes) {
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Returns the child JVM's engine flag: none here (epoll); {@link InheritedFdNioIT} forces NIO.
   *
   * @return JVM options
   */
  protected List<String> engineOptions() {
    return List.of();
  }

  private BufferedReader start(String mode, String kind, String where) throws Exception {
    return start(mode, kind, where, List.of());
  }

  private BufferedReader start(String mode, String kind, String where, List<String> jvmOptions)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                "-c",
                LAUNCHER,
                mode,
                kind,
                where,
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(engineOptions());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FdChild.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String line(BufferedReader r) throws Exception {
    String l =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return r.readLine();
                  } catch (java.io.IOException e) {
                    return "IOException " + e.getMessage();
                  }
                })
            .get(30, TimeUnit.SECONDS);
    assertThat(l).as("a line from the child").isNotNull();
    return l;
  }

  private static void assertEchoes(SocketChannel c) throws Exception {
    byte[] sent = "hello over an inherited socket\n".getBytes(StandardCharsets.US_ASCII);
    c.write(ByteBuffer.wrap(sent));
    ByteBuffer got = ByteBuffer.allocate(sent.length);
    CompletableFuture.runAsync(
            () -> {
              try {
                while (got.hasRemaining() && c.read(got) >= 0) {
                  // reads until the echo is complete
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(10, TimeUnit.SECONDS);
    assertThat(new String(got.array(), StandardCharsets.US_ASCII))
        .isEqualTo(new String(sent, StandardCharsets.US_ASCII));
  }

  /**
   * Our EOF reaches the child, whose {@code pipe} ends its side in turn: half-close works on the
   * adopted socket.
   */
  private static void assertEndsAfterOurEnd(SocketChannel c) throws Exception {
    c.shutdownOutput();
    int n =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return c.read(ByteBuffer.allocate(16));
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(n).as("EOF from the child after ours").isEqualTo(-1);
  }

  @Test
  void listensOnAnInheritedTcpListener() throws Exception {
    BufferedReader out = start("listen", "tcp", "-");
    int port = Integer.parseInt(line(out).substring("port ".length()));
    assertThat(line(out)).isEqualTo("ready tcp://127.0.0.1:" + port);
    for (int i = 0; i < 3; i++) {
      try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
        assertEchoes(c);
      }
    }
  }

  @Test
  void servesTlsOnAnInheritedUnixListener() throws Exception {
    dev.jnet.tls.TlsCredentials c = dev.jnet.tls.TlsCredentials.selfSigned("localhost");
    Path key = Files.writeString(dir.resolve("key.pem"), c.keyPem());
    Path cert = Files.writeString(dir.resolve("cert.pem"), c.certificatePem());
    Path sock = dir.resolve("tls.sock");
    BufferedReader out =
        start(
            "listen",
            "unix",
            sock.toString(),
            List.of("-Djnet.test.tls.key=" + key, "-Djnet.test.tls.cert=" + cert));
    line(out);
    assertThat(line(out)).isEqualTo("ready unix:" + sock);
    // verified as Node verifies a socket path: against localhost
    dev.jnet.tls.TlsSocket s =
        dev.jnet.tls.Tls.connect(
            dev.jnet.Endpoint.parse("unix:" + sock),
            dev.jnet.tls.TlsOptions.defaults().withCa(List.of(c.certificate())));
    CompletableFuture<String> echoed = new CompletableFuture<>();
    StringBuilder got = new StringBuilder();
    s.onData(d -> got.append(StandardCharsets.UTF_8.decode(d)));
    s.onEnd(() -> echoed.complete(got.toString()));
    s.onError(echoed::completeExceptionally);
    s.end("over TLS on an inherited descriptor");
    assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo("over TLS on an inherited descriptor");
    assertThat(s.isAuthorized()).isTrue();
  }

  @Test
  void listensOnAnInheritedUnixListener() throws Exception {
    Path sock = dir.resolve("inherited.sock");
    BufferedReader out = start("listen", "unix", sock.toString());
    line(out);
    assertThat(line(out)).isEqualTo("ready unix:" + sock);
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      assertEchoes(c);
      assertThat(line(out))
          .as("the accepted socket's own address")
          .isEqualTo("accepted unix:" + sock);
      assertEndsAfterOurEnd(c);
    }
  }

  @Test
  void honoursSystemdSocketActivationByName() throws Exception {
    BufferedReader out = start("systemd", "tcp", "-");
    int port = Integer.parseInt(line(out).substring("port ".length()));
    assertThat(line(out)).isEqualTo("ready tcp://127.0.0.1:" + port);
    try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      assertEchoes(c);
    }
  }

  @Test
  void wrapsAnInheritedConnectedTcpSocket() throws Exception {
    try (ServerSocketChannel l =
        ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      BufferedReader out =
          start(
              "connect",
              "tcp",
              Integer.toString(((InetSocketAddress) l.getLocalAddress()).getPort()));
      try (SocketChannel c = l.accept()) {
        assertThat(line(out)).startsWith("ready tcp://127.0.0.1:");
        assertEchoes(c);
        assertEndsAfterOurEnd(c);
      }
    }
  }

  @Test
  void wrapsAnInheritedConnectedUnixSocket() throws Exception {
    Path sock = dir.resolve("peer.sock");
    try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      l.bind(UnixDomainSocketAddress.of(sock));
      BufferedReader out = start("connect", "unix", sock.toString());
      try (SocketChannel c = l.accept()) {
        assertThat(line(out)).startsWith("ready");
        assertEchoes(c);
        assertEndsAfterOurEnd(c);
      }
    }
  }
}
