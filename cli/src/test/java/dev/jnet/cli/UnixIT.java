package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jnet echo} and {@code jnet connect} over {@code unix:} endpoints, as separate processes.
 */
@Timeout(60)
class UnixIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Spawned echo(String endpoint) throws InterruptedException {
    Spawned echo = spawn(Spawned.jnet("echo", endpoint));
    echo.awaitStderr("listening on " + java.util.regex.Pattern.quote(endpoint) + "\\R", WAIT);
    return echo;
  }

  private String roundTrip(String endpoint, String text, @TempDir Path dir) throws Exception {
    Path in = Files.writeString(dir.resolve("in-" + System.nanoTime()), text);
    Spawned connect = spawn(Spawned.jnet("connect", endpoint).redirectInput(in.toFile()));
    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    return new String(connect.stdoutBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void echoAndConnectTalkOverASocketPath(@TempDir Path dir) throws Exception {
    String endpoint = "unix:" + dir.resolve("echo.sock");
    echo(endpoint);
    assertThat(roundTrip(endpoint, "hello over a path\n", dir)).isEqualTo("hello over a path\n");
  }

  @Test
  void echoAndConnectTalkOverAnAbstractName(@TempDir Path dir) throws Exception {
    String endpoint = "unix:@jnet-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    if (Spawned.onNio()) {
      Spawned refused = spawn(Spawned.jnet("echo", endpoint));
      assertThat(refused.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
      assertThat(refused.stderr())
          .isEqualTo(
              "jnet: listen ENOTSUP "
                  + endpoint.substring(5)
                  + " (abstract Unix socket names need the epoll engine; the NIO engine is in use)\n");
      return;
    }
    echo(endpoint);
    assertThat(roundTrip(endpoint, "hello, abstract\n", dir)).isEqualTo("hello, abstract\n");
  }

  @Test
  void aLiveSocketAtThePathExitsEightNamingItsOwner(@TempDir Path dir) throws Exception {
    String endpoint = "unix:" + dir.resolve("taken.sock");
    Spawned first = echo(endpoint);
    Spawned second = spawn(Spawned.jnet("echo", endpoint));
    assertThat(second.awaitExit(WAIT)).isEqualTo(ExitCodes.ADDRESS_IN_USE);
    assertThat(second.stderr().lines()).hasSize(1);
    assertThat(second.stderr())
        .startsWith("jnet: ")
        .contains("EADDRINUSE")
        .contains("pid " + first.pid())
        .doesNotContain("Exception");
  }

  @Test
  void aStaleSocketIsReclaimedWithAOneLineNotice(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("stale.sock");
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(path));
    }
    assertThat(path).exists();
    Spawned echo = echo("unix:" + path);
    assertThat(echo.stderr())
        .startsWith("jnet: reclaimed stale socket " + path)
        .doesNotContain("INFO", "SafeBind");
    assertThat(roundTrip("unix:" + path, "still works\n", dir)).isEqualTo("still works\n");
  }

  @Test
  void connectingWhereNothingListensExitsThree(@TempDir Path dir) throws Exception {
    Spawned connect = spawn(Spawned.jnet("connect", "unix:" + dir.resolve("nobody.sock")));
    connect.stdin().close();
    assertThat(connect.awaitExit(WAIT)).isEqualTo(ExitCodes.REFUSED);
    assertThat(connect.stderr()).startsWith("jnet: ").contains("ENOENT").hasLineCount(1);
  }
}
