package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.NetException;
import dev.jnet.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code fd:N} errors and the systemd variables, in process; serving on a real inherited socket is
 * {@link InheritedFdIT}.
 */
class FdEndpointTest {

  private static NetException listenError(Endpoint ep) throws Exception {
    Server server = Net.createServer(s -> s.pipe(s));
    Throwable t =
        catchThrowable(() -> server.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NetException.class);
    return (NetException) t.getCause();
  }

  @Test
  void aDescriptorThatIsNotOpenIsEbadf() throws Exception {
    assertThat(listenError(new Endpoint.Fd(999_999)).code()).isEqualTo(ErrorCode.EBADF);
  }

  @Test
  void aDescriptorThatIsNotASocketIsEnotsock() throws Exception {
    try (var in = new java.io.FileInputStream("/proc/self/status")) {
      assertThat(in.getFD().valid()).isTrue();
      int fd = openFdOf("/proc/self/status");
      NetException e = listenError(new Endpoint.Fd(fd));
      assertThat(e.code()).isEqualTo(ErrorCode.ENOTSOCK);
      assertThat(e.getMessage()).contains("not a socket");
    }
  }

  /** Finds the number of an open descriptor by its target (the JDK does not expose it). */
  private static int openFdOf(String target) throws Exception {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      for (var p : (Iterable<java.nio.file.Path>) fds::iterator) {
        try {
          if (java.nio.file.Files.readSymbolicLink(p)
              .toString()
              .endsWith(target.substring("/proc/self".length()))) {
            return Integer.parseInt(p.getFileName().toString());
          }
        } catch (java.io.IOException e) {
          // the listing's own descriptor is gone by now
        }
      }
    }
    throw new AssertionError("no descriptor open on " + target);
  }

  @Test
  void systemdVariablesCountFromThreeAndCarryNames() {
    Map<String, List<Endpoint.Fd>> r =
        SocketActivation.read(
            Map.of("LISTEN_PID", "42", "LISTEN_FDS", "3", "LISTEN_FDNAMES", "web:admin:web"), 42);
    assertThat(r.get("web")).containsExactly(new Endpoint.Fd(3), new Endpoint.Fd(5));
    assertThat(r.get("admin")).containsExactly(new Endpoint.Fd(4));
  }

  @Test
  void systemdVariablesMeantForAnotherPidAreIgnored() {
    assertThat(SocketActivation.read(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42)).isEmpty();
    assertThat(SocketActivation.read(Map.of("LISTEN_FDS", "1"), 42)).isEmpty();
  }

  @Test
  void unnamedSocketsAreCalledUnknownAsSystemdDoes() {
    assertThat(
            SocketActivation.read(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "2"), 7).get("unknown"))
        .containsExactly(new Endpoint.Fd(3), new Endpoint.Fd(4));
  }

  @Test
  void scrubRemovesTheVariablesFromAChildEnvironment() {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "x", "PATH", "/bin"));
    SocketActivation.scrub(env);
    assertThat(env).containsOnlyKeys("PATH");
  }
}
