package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Permissions and admission seen by another user: a client runs as uid 65534 (nobody) through
 * {@code setpriv}, in python3 (which reaches abstract names with their exact length). Skipped, with
 * the reason, where this process cannot drop privileges.
 */
class DroppedPrivilegesIT {
  private static final int NOBODY = 65534;
  private static Path dir;
  private Server server;

  @BeforeAll
  static void requireRootAndSetpriv() throws Exception {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(uid == 0, "dropping privileges needs root; this process runs as uid " + uid);
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
    dir =
        Files.createTempDirectory(
            Path.of("/tmp"),
            "jnet-priv",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @org.junit.jupiter.api.AfterAll
  static void removeDir() throws Exception {
    if (dir != null) {
      try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    if (server != null && server.isListening()) {
      server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Runs a python3 client as nobody: connects, sends "hi", prints what it reads back or the error
   * name.
   */
  private static String asNobody(String address) throws Exception {
    String script =
        String.join(
            "\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.settimeout(10)",
            "try:",
            "    s.connect(sys.argv[1].replace('@', '\\0', 1) if sys.argv[1].startswith('@') else sys.argv[1])",
            "    s.sendall(b'hi'); s.shutdown(socket.SHUT_WR)",
            "    data = b''",
            "    while True:",
            "        chunk = s.recv(100)",
            "        if not chunk: break",
            "        data += chunk",
            "    print('READ ' + data.decode())",
            "except PermissionError: print('EACCES')",
            "except ConnectionRefusedError: print('ECONNREFUSED')",
            "except ConnectionResetError: print('ECONNRESET')",
            "except BrokenPipeError: print('EPIPE')");
    Process p =
        new ProcessBuilder(
                List.of(
                    "/usr/bin/setpriv",
                    "--reuid=" + NOBODY,
                    "--regid=" + NOBODY,
                    "--clear-groups",
                    "/usr/bin/python3",
                    "-c",
                    script,
                    address))
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the nobody client finished").isTrue();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } finally {
      p.destroyForcibly();
    }
  }

  private void echo(ServerOptions options, Endpoint ep) throws Exception {
    server = Net.createServer(options, s -> s.pipe(s));
    server.onDrop(drops::add);
    server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The server's {@code drop} events. */
  private final java.util.concurrent.LinkedBlockingQueue<Server.Drop> drops =
      new java.util.concurrent.LinkedBlockingQueue<>();

  /** The one drop the turned-away client caused: it names the uid, and why. */
  private Server.Drop theDrop() throws InterruptedException {
    Server.Drop d = drops.poll(10, TimeUnit.SECONDS);
    assertThat(d).as("a drop event").isNotNull();
    assertThat(d.peer()).hasValueSatisfying(c -> assertThat(c.uid()).isEqualTo(NOBODY));
    assertThat(d.reason())
        .isEqualTo(
            "uid " + NOBODY + " is not this server's (an abstract name admits only its own uid)");
    return d;
  }

  @Test
  void theDefaultMode0600KeepsOtherUsersOut() throws Exception {
    Path p = dir.resolve("default.sock");
    echo(ServerOptions.defaults(), new Endpoint.Unix(p.toString(), false));
    assertThat(asNobody(p.toString())).isEqualTo("EACCES");
  }

  @Test
  void mode0666LetsOtherUsersIn() throws Exception {
    Path p = dir.resolve("wide.sock");
    echo(ServerOptions.defaults().withMode(0666), new Endpoint.Unix(p.toString(), false));
    assertThat(asNobody(p.toString())).isEqualTo("READ hi");
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void anAbstractNameTurnsAwayOtherUidsByDefault() throws Exception {
    Endpoint ep = new Endpoint.Unix("jnet-priv-" + ProcessHandle.current().pid(), true);
    echo(ServerOptions.defaults(), ep);
    assertThat(asNobody("@" + ((Endpoint.Unix) ep).path()))
        .as("turned away before any reply")
        .isIn("READ", "ECONNRESET", "EPIPE");
    theDrop();
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void anInheritedListenerOnAnAbstractNameTurnsAwayOtherUidsByDefault() throws Exception {
    Endpoint.Unix ep = new Endpoint.Unix("jnet-priv-fd-" + ProcessHandle.current().pid(), true);
    echo(ServerOptions.defaults(), ep);
    int dup =
        DescriptorChannel.number(
            org.newsclub.net.unix.FileDescriptorCast.duplicating(
                    DescriptorChannel.listenerOf(server))
                .getFileDescriptor());
    server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    echo(ServerOptions.defaults(), new Endpoint.Fd(dup));
    assertThat(server.address()).contains(ep);
    assertThat(asNobody("@" + ep.path()))
        .as("turned away before any reply")
        .isIn("READ", "ECONNRESET", "EPIPE");
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void anAbstractNameAdmitsAUidOnItsAllowList() throws Exception {
    Endpoint ep = new Endpoint.Unix("jnet-priv-allow-" + ProcessHandle.current().pid(), true);
    echo(ServerOptions.defaults().withAllowedUids(Set.of(NOBODY)), ep);
    assertThat(asNobody("@" + ((Endpoint.Unix) ep).path())).isEqualTo("READ hi");
  }
}
