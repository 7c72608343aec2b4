package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Safe bind of Unix socket paths: nothing is truncated, stolen or deleted that is not ours. */
class SafeBindTest {
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void closeServers() throws Exception {
    for (Server s : servers) {
      if (s.isListening()) {
        s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private Server server() {
    Server s = Net.createServer(sock -> sock.pipe(sock));
    servers.add(s);
    return s;
  }

  private static NetException failure(CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(NetException.class);
      return (NetException) e.getCause();
    }
    throw new AssertionError("listen should have failed");
  }

  private static Endpoint unix(Path p) {
    return new Endpoint.Unix(p.toString(), false);
  }

  @Test
  void aRegularFileAtThePathIsRefusedAndLeftUntouched() throws Exception {
    Path p = UnixFixture.freshPath();
    Files.writeString(p, "precious");
    NetException e = failure(server().listen(unix(p)));
    assertThat(e.code()).isEqualTo(ErrorCode.EADDRINUSE);
    assertThat(e.getMessage())
        .startsWith("listen EADDRINUSE: address already in use " + p)
        .contains("regular file");
    assertThat(Files.readString(p)).isEqualTo("precious");
  }

  @Test
  void aDirectoryAtThePathIsRefusedAndLeftUntouched() throws Exception {
    Path p = UnixFixture.freshPath();
    Files.createDirectory(p);
    NetException e = failure(server().listen(unix(p)));
    assertThat(e.code()).isEqualTo(ErrorCode.EADDRINUSE);
    assertThat(e.getMessage()).contains("directory");
    assertThat(Files.isDirectory(p)).isTrue();
  }

  @Test
  void aLiveSocketGivesAddressInUseAndKeepsServing() throws Exception {
    Path p = UnixFixture.freshPath();
    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(p));
      NetException e = failure(server().listen(unix(p)));
      assertThat(e.code()).isEqualTo(ErrorCode.EADDRINUSE);
      assertThat(e.getMessage())
          .contains("live server")
          .contains("pid " + ProcessHandle.current().pid());
      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
        assertThat(c.isConnected()).isTrue();
      }
    } finally {
      Files.deleteIfExists(p);
    }
  }

  @Test
  void aStaleSocketIsReclaimed() throws Exception {
    Path p = UnixFixture.freshPath();
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(p));
    }
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS))
        .as("the stale socket file is there")
        .isTrue();
    Server s = server();
    s.listen(unix(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
      c.write(java.nio.ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      assertThat(c.read(b)).isEqualTo(1);
    }
  }

  @Test
  void twoServersRacingForOnePathEndWithExactlyOneWinner() throws Exception {
    Path p = UnixFixture.freshPath();
    List<CompletableFuture<Server>> attempts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      attempts.add(server().listen(unix(p)).toCompletableFuture());
    }
    int won = 0;
    for (CompletableFuture<Server> a : attempts) {
      try {
        a.get(10, TimeUnit.SECONDS);
        won++;
      } catch (ExecutionException e) {
        assertThat(((NetException) e.getCause()).code()).isEqualTo(ErrorCode.EADDRINUSE);
      }
    }
    assertThat(won).isEqualTo(1);
  }

  @Test
  void closeRemovesTheFileButNeverASuccessorsSocket() throws Exception {
    Path p = UnixFixture.freshPath();
    Server first = server();
    first.listen(unix(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    first.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as("removed on close").isFalse();

    Server second = server();
    second.listen(unix(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.delete(p);
    try (ServerSocketChannel successor = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      successor.bind(UnixDomainSocketAddress.of(p));
      second.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS))
          .as("the successor's socket survives")
          .isTrue();
    } finally {
      Files.deleteIfExists(p);
    }
  }

  @Test
  void theDefaultModeIs0600AndAWiderModeIsAppliedOnRequest() throws Exception {
    Path p = UnixFixture.freshPath();
    server().listen(unix(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
        .isEqualTo("rw-------");

    Path q = UnixFixture.freshPath();
    Server wide = Net.createServer(ServerOptions.defaults().withMode(0660), s -> s.destroy());
    servers.add(wide);
    wide.listen(unix(q)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(q)))
        .isEqualTo("rw-rw----");
  }

  @Test
  void aPathLongerThan107BytesFailsWithENAMETOOLONGBeforeAnySystemCall() throws Exception {
    Path dir = UnixFixture.dir();
    String name = "é".repeat(60) + ".sock";
    Path p = dir.resolve(name);
    NetException e = failure(server().listen(unix(p)));
    assertThat(e.code()).isEqualTo(ErrorCode.ENAMETOOLONG);
    assertThat(e.getMessage()).contains("bytes").contains("107");
    assertThat(Files.exists(p)).isFalse();
    assertThat(Files.exists(Path.of(p + ".lock"))).as("not even a lock file was made").isFalse();
  }

  @Test
  void aMissingDirectoryGivesENOENT() throws Exception {
    Path p = UnixFixture.dir().resolve("missing").resolve("x.sock");
    NetException e = failure(server().listen(unix(p)));
    assertThat(e.code()).isEqualTo(ErrorCode.ENOENT);
    assertThat(e.getMessage()).contains("does not exist");
  }

  @Test
  void aSocketBoundButNotYetListeningIsNeverReclaimed() throws Exception {
    Path p = UnixFixture.freshPath();
    Process binder =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                String.join(
                    "\n",
                    "import socket, sys",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                    "s.bind(sys.argv[1])",
                    "print('bound', flush=True)",
                    "sys.stdin.read()"),
                p.toString())
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(
              new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          binder.getInputStream(), StandardCharsets.UTF_8))
                  .readLine())
          .isEqualTo("bound");
      Object inode = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      long start = System.nanoTime();
      NetException e = failure(server().listen(unix(p)));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .as("a bounded wait")
          .isLessThan(8_000);
      assertThat(e.code()).isEqualTo(ErrorCode.EADDRINUSE);
      assertThat(e.getMessage()).contains("not listening").contains("pid " + binder.pid());
      assertThat(Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS))
          .as("left in place")
          .isEqualTo(inode);
    } finally {
      binder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(p);
    }
  }

  @Test
  void theKernelAndSsKnowTheServerByItsRealPath() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ss")), "ss (iproute2) is not installed");
    Path p = UnixFixture.freshPath();
    server().listen(unix(p)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Process ss = new ProcessBuilder("/usr/bin/ss", "-xlp").redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out.lines().filter(l -> l.contains(" " + p + " ")))
        .as("ss -xlp lists " + p)
        .singleElement()
        .asString()
        .contains("pid=" + ProcessHandle.current().pid());
    assertThat(Files.readString(Path.of("/proc/net/unix"))).contains(" " + p + "\n");
  }

  /**
   * Where /proc/self/fd cannot set the mode before bind (forced here), the socket is staged, then
   * linked in.
   */
  @Test
  void theStagingFallbackAppliesTheModeAndLeavesOnlyTheSocket() throws Exception {
    Path dir = Files.createTempDirectory(UnixFixture.dir(), "staged");
    Path p = dir.resolve("s.sock");
    Process child =
        new ProcessBuilder(
                BindChild.command(
                    System.getProperty("java.class.path"),
                    List.of("-Djnet.unix.staging=true"),
                    "probe",
                    p.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("mode 140600", "read hello", "files [s.sock]");
    try (java.util.stream.Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("removed on close").isEmpty();
    }
    Files.delete(dir);
  }

  /** Processes racing to reclaim one stale socket: exactly one binds, and the path leads to it. */
  @Test
  void processesRacingForAStalePathEndWithExactlyOneWinner() throws Exception {
    Path p = UnixFixture.freshPath();
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(p));
    }
    List<Process> racers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        racers.add(
            new ProcessBuilder(
                    BindChild.command(
                        System.getProperty("java.class.path"), List.of(), "race", p.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
      }
      List<java.io.BufferedReader> outs = new ArrayList<>();
      for (Process r : racers) {
        outs.add(
            new java.io.BufferedReader(
                new java.io.InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8)));
        assertThat(outs.get(outs.size() - 1).readLine()).isEqualTo("ready");
      }
      for (Process r : racers) {
        r.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        r.getOutputStream().flush();
      }
      List<Long> winners = new ArrayList<>();
      for (int i = 0; i < racers.size(); i++) {
        String line = outs.get(i).readLine();
        assertThat(line).isIn("listening", "error EADDRINUSE");
        if (line.equals("listening")) {
          winners.add(racers.get(i).pid());
        }
      }
      assertThat(winners).as("winners").hasSize(1);
      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
        while (c.read(b) >= 0) {
          // until the winner's end
        }
        assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8))
            .isEqualTo("pid " + winners.get(0));
      }
    } finally {
      for (Process r : racers) {
        r.getOutputStream().close();
      }
      for (Process r : racers) {
        if (!r.waitFor(20, TimeUnit.SECONDS)) {
          r.destroyForcibly();
        }
      }
    }
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS))
        .as("the winner removed its file on close")
        .isFalse();
  }

  /**
   * chmod follows links, so jnet widens a mode past the umask only where no other user can swap the
   * file.
   */
  @Test
  void aModeTheUmaskNarrowedIsNotWidenedInAWorldWritableDirectoryWithoutTheStickyBit()
      throws Exception {
    String umask =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Umask:"))
            .findFirst()
            .orElse("Umask: 0")
            .substring(6)
            .strip();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        (Integer.parseInt(umask, 8) & 020) != 0,
        "needs a umask that removes group write; this process has " + umask);
    Path open = Files.createTempDirectory(UnixFixture.dir(), "open");
    Files.setAttribute(open, "unix:mode", 0777);
    Server s = Net.createServer(ServerOptions.defaults().withMode(0660), sock -> sock.destroy());
    servers.add(s);
    NetException e = failure(s.listen(unix(open.resolve("s.sock"))));
    assertThat(e.code()).isEqualTo(ErrorCode.EACCES);
    assertThat(e.getMessage()).contains("umask", "link");
    try (java.util.stream.Stream<Path> left = Files.list(open)) {
      assertThat(left).as("nothing left").isEmpty();
    }

    Files.setAttribute(open, "unix:mode", 01777);
    Server sticky =
        Net.createServer(ServerOptions.defaults().withMode(0660), sock -> sock.destroy());
    servers.add(sticky);
    sticky.listen(unix(open.resolve("s.sock"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open.resolve("s.sock"))))
        .isEqualTo("rw-rw----");
    sticky.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.delete(open);
  }
}
