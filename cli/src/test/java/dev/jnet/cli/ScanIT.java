package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.cli.spec.ExitCodes;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code jnet scan} as a separate process against loopback ports and sockets in a temporary folder.
 */
class ScanIT extends SpawningTest {
  @Test
  void portsListsAndRangesAreReportedOpenOrClosedWithExitTen() throws Exception {
    String port = echoServer().replaceAll(".*:", "");
    int closed = ClosedPort.find();
    Spawned scan = spawn(Spawned.jnet("scan", "127.0.0.1:" + port + "," + closed));
    assertThat(scan.awaitExit(WAIT)).isEqualTo(ExitCodes.SCAN_FOUND_CLOSED);
    assertThat(scan.stdout())
        .containsPattern("tcp://127\\.0\\.0\\.1:" + port + " +open\n")
        .containsPattern("tcp://127\\.0\\.0\\.1:" + closed + " +closed \\(ECONNREFUSED\\)\n");
    Spawned onlyOpen = spawn(Spawned.jnet("scan", "tcp://127.0.0.1:" + port));
    assertThat(onlyOpen.awaitExit(WAIT)).isZero();
  }

  @Test
  void aUnixGlobSkipsFilesThatAreNotSocketsAndSaysHowMany() throws Exception {
    Spawned echo = spawn(Spawned.jnet("echo", sockPath("live.sock")));
    listening(echo);
    Files.writeString(dir.resolve("notes.txt"), "not a socket");
    Files.createDirectory(dir.resolve("sub"));
    Spawned scan = spawn(Spawned.jnet("scan", "unix:" + dir + "/*"));
    assertThat(scan.awaitExit(WAIT)).as(scan.stderr()).isZero();
    assertThat(scan.stdout())
        .containsPattern("unix:" + dir.resolve("live.sock") + " +live\n")
        .doesNotContain("notes.txt", "sub");
    assertThat(scan.stderr())
        .contains("1 target(s): 1 open, 0 not; skipped 2 matches of a glob that are not a socket");
    Spawned named = spawn(Spawned.jnet("scan", "unix:" + dir.resolve("notes.txt")));
    assertThat(named.awaitExit(WAIT)).isEqualTo(ExitCodes.SCAN_FOUND_CLOSED);
    assertThat(named.stdout()).containsPattern("notes\\.txt +not-a-socket\n");
  }

  @Test
  void aUnixGlobTellsLiveAndStale() throws Exception {
    Spawned echo = spawn(Spawned.jnet("echo", sockPath("live.sock")));
    listening(echo);
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(dir.resolve("stale.sock")));
    }
    Spawned scan = spawn(Spawned.jnet("scan", "--format", "json", "unix:" + dir + "/*.sock"));
    assertThat(scan.awaitExit(WAIT)).isEqualTo(ExitCodes.SCAN_FOUND_CLOSED);
    String json = scan.stdout().strip();
    assertThat(json).startsWith("[{").endsWith("}]");
    assertThat(json)
        .contains("{\"target\":\"unix:" + dir.resolve("live.sock") + "\",\"state\":\"live\"")
        .contains("{\"target\":\"unix:" + dir.resolve("stale.sock") + "\",\"state\":\"stale\"");
  }

  @Test
  void aThousandPortsTakeOneProcessAndLittleTime() throws Exception {
    Path none = dir.resolve("none");
    Spawned scan = spawn(Spawned.jnet("scan", "--open", "127.0.0.1:20000-20999", "unix:" + none));
    long start = System.nanoTime();
    assertThat(scan.awaitExit(WAIT)).isEqualTo(ExitCodes.SCAN_FOUND_CLOSED);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    assertThat(scan.stderr()).contains("1001 target(s)");
  }
}
