package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The safe bind attacked by another local user (uid 65534 through {@code setpriv}) in a sticky
 * world-writable directory, as {@code /tmp} is: nothing it plants, holds or leaves behind makes a
 * server create a file through a link, hang, or fail; and no connection reaches a socket before its
 * mode applies. Skipped, with the reason, where this process cannot drop privileges.
 */
class SafeBindHostileTest {
  private Path dir;
  private final List<Server> servers = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void stickyDir() throws IOException {
    OtherUser.assumeAvailable();
    dir = OtherUser.stickyDir();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Server s : servers) {
      if (s.isListening()) {
        s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    for (Process p : processes) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    if (dir != null) {
      OtherUser.delete(dir);
    }
  }

  private Server listen(Path p) throws Exception {
    Server s = Net.createServer(sock -> sock.end("hello"));
    servers.add(s);
    s.listen(new Endpoint.Unix(p.toString(), false))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return s;
  }

  private Process started(Process p) {
    processes.add(p);
    return p;
  }

  private static String firstLine(Process p) throws IOException {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSymlinkPlantedBesideThePathIsNeverFollowed() throws Exception {
    Path p = dir.resolve("s.sock");
    Path target = dir.resolve("victim");
    for (String name : List.of("s.sock.lock", ".jnet-lock")) {
      Process ln =
          started(
              new ProcessBuilder(
                      OtherUser.asNobody(
                          "ln", "-s", target.toString(), dir.resolve(name).toString()))
                  .redirectErrorStream(true)
                  .start());
      assertThat(ln.waitFor(10, TimeUnit.SECONDS) && ln.exitValue() == 0)
          .as("nobody planted " + name)
          .isTrue();
    }
    listen(p);
    assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS))
        .as("no file created at the link's target")
        .isFalse();
    assertThat(Files.isSymbolicLink(dir.resolve("s.sock.lock")))
        .as("the planted link is left alone")
        .isTrue();
  }

  @Test
  void aLockHeldByAnotherUidDoesNotStopListen() throws Exception {
    Path p = dir.resolve("s.sock");
    Process holder =
        started(
            OtherUser.python(
                String.join(
                    "\n",
                    "import fcntl, sys",
                    "f = open(sys.argv[1], 'w')",
                    "fcntl.lockf(f, fcntl.LOCK_EX)",
                    "fcntl.flock(f, fcntl.LOCK_EX)",
                    "print('locked', flush=True)",
                    "sys.stdin.read()"),
                p + ".lock"));
    assertThat(firstLine(holder)).isEqualTo("locked");
    long start = System.nanoTime();
    listen(p);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).as("listen finished promptly (ms)").isLessThan(5_000);
  }

  @Test
  void aSocketAnotherUidBindsWithoutListeningGivesABoundedErrorNamingIt() throws Exception {
    Path p = dir.resolve("s.sock");
    Process squatter =
        started(
            OtherUser.python(
                String.join(
                    "\n",
                    "import socket, sys",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                    "s.bind(sys.argv[1])",
                    "print('bound', flush=True)",
                    "sys.stdin.read()"),
                p.toString()));
    assertThat(firstLine(squatter)).isEqualTo("bound");
    Server s = Net.createServer(sock -> sock.end("hello"));
    servers.add(s);
    long start = System.nanoTime();
    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                s.listen(new Endpoint.Unix(p.toString(), false))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure).hasCauseInstanceOf(dev.jnet.NetException.class);
    assertThat(((dev.jnet.NetException) failure.getCause()).code())
        .isEqualTo(dev.jnet.ErrorCode.EADDRINUSE);
    assertThat(failure.getCause().getMessage()).contains("not listening", "pid " + squatter.pid());
    assertThat(ms).as("a bounded wait (ms)").isLessThan(8_000);
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as("its socket is left alone").isTrue();
  }

  @Test
  void nothingIsLeftBehindAfterCloseOrAtExit() throws Exception {
    Server s = listen(dir.resolve("closed.sock"));
    s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(leftovers()).as("after close").isEmpty();

    Process child =
        started(
            childJvm(
                System.getProperty("java.class.path"),
                "listen-exit",
                dir.resolve("exited.sock").toString()));
    assertThat(firstLine(child)).isEqualTo("listening");
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(leftovers()).as("after the process exited").isEmpty();
  }

  @Test
  void aLeftoverFileOfAnotherUidsRunDoesNotBlockThisUid() throws Exception {
    Path p = dir.resolve("shared.sock");
    Files.writeString(Path.of(p + ".lock"), "");
    Files.setAttribute(Path.of(p + ".lock"), "unix:mode", 0600);
    Process child =
        started(
            new ProcessBuilder(
                    OtherUser.asNobody(
                        childCommand(OtherUser.classPath(), "listen-exit", p.toString())
                            .toArray(String[]::new)))
                .redirectErrorStream(true)
                .start());
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("nobody's server").contains("listening");
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS))
        .as("its exit removed its socket")
        .isFalse();
  }

  @Test
  void aSocketOfAnotherUidInAStickyDirectoryGivesEaccesNamingItsOwner() throws Exception {
    Path p = dir.resolve("stale.sock");
    try (java.nio.channels.ServerSocketChannel dead =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      dead.bind(java.net.UnixDomainSocketAddress.of(p));
    }
    Files.setAttribute(p, "unix:mode", 0755);
    assertThat(nobodyListens(p))
        .as("a socket nobody may not probe")
        .contains(
            "error EACCES", "a socket of uid 0", "cannot tell a live server from a stale file");
    Files.setAttribute(p, "unix:mode", 0777);
    assertThat(nobodyListens(p))
        .as("a stale socket nobody may not remove")
        .contains(
            "error EACCES",
            "cannot remove the stale socket",
            "of uid 0",
            "Operation not permitted");
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as("root's file is left alone").isTrue();
  }

  private String nobodyListens(Path p) throws Exception {
    Process child =
        started(
            new ProcessBuilder(
                    OtherUser.asNobody(
                        childCommand(OtherUser.classPath(), "listen-exit", p.toString())
                            .toArray(String[]::new)))
                .redirectErrorStream(true)
                .start());
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** The server runs with umask 000 on a ~100-byte path while nobody connects in a tight loop. */
  @Test
  void aLongPathUnderUmask000NeverAdmitsAnotherUidBeforeTheModeApplies() throws Exception {
    // A long directory and a short name: no room beside the name for anything longer than the name.
    Path deep =
        Files.createDirectory(
            dir.resolve("d".repeat(100 - dir.toString().length() - "/s.sock".length() - 1)));
    Files.setAttribute(deep, "unix:mode", 01777);
    Path p = deep.resolve("s.sock");
    assertThat(p.toString().length()).isEqualTo(100);
    Process attacker =
        started(
            OtherUser.python(
                String.join(
                    "\n",
                    "import socket, sys, select",
                    "print('ready', flush=True)",
                    "hits = 0",
                    "while not select.select([sys.stdin], [], [], 0)[0]:",
                    "    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                    "    try:",
                    "        s.connect(sys.argv[1]); hits += 1",
                    "    except OSError:",
                    "        pass",
                    "    s.close()",
                    "print('hits', hits, flush=True)"),
                p.toString()));
    assertThat(firstLine(attacker)).isEqualTo("ready");
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\""));
    cmd.addAll(childCommand(System.getProperty("java.class.path"), "cycle", "40", p.toString()));
    Process server = started(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    String out = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("the server cycled").contains("up 40");
    attacker.getOutputStream().close();
    String hits =
        new String(attacker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(hits)
        .as("connections nobody made to a 0600 socket over 40 starts")
        .isEqualTo("hits 0");
  }

  private static Process childJvm(String classPath, String... args) throws IOException {
    return new ProcessBuilder(childCommand(classPath, args)).redirectErrorStream(true).start();
  }

  private static List<String> childCommand(String classPath, String... args) {
    return BindChild.command(classPath, List.of(), args);
  }
}
