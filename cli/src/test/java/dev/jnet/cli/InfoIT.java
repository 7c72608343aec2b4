package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.cli.spec.ExitCodes;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code jnet info} as a separate process about Node and jnet servers. */
class InfoIT extends SpawningTest {
  private static final String NODE_UNIX_SERVER_WITH_A_CLIENT =
      """
      const net = require('net');
      const path = process.argv[1];
      const srv = net.createServer(s => s.resume());
      srv.listen(path, () => net.connect(path, () => console.log('ready')));
      """;

  @Test
  void aUnixPathShowsTypeModeOwnerListenerAndConnections() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    String path = dir.resolve("node.sock").toString();
    Spawned node = spawn(Spawned.node(NODE_UNIX_SERVER_WITH_A_CLIENT, path));
    node.awaitStdout("ready", WAIT);
    Spawned info = spawn(Spawned.jnet("info", "--format", "json", path));
    assertThat(info.awaitExit(WAIT)).as(info.stderr()).isZero();
    assertThat(info.stdout())
        .startsWith("{\"target\":\"unix:" + path + "\",\"type\":\"socket\",\"mode\":\"")
        .contains("\"state\":\"live\"", "\"listener\":{\"pid\":" + node.pid() + ",")
        .containsPattern(
            "\"connections\":\\[\\{\"inode\":\\d+,\"pid\":" + node.pid() + ",\"cmd\":\"node -e");
  }

  @Test
  void aUnixPathListsTheClientsOfAnotherProcessNotTheServersOwnEnds() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    assumeTrue(
        java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/ss"))
            || java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/ss")),
        "ss (iproute2) is not installed: info cannot name a Unix socket's clients without it");
    String path = dir.resolve("echo.sock").toString();
    Spawned echo = spawn(Spawned.jnet("echo", "unix:" + path));
    echo.awaitStderr("listening on ", WAIT);
    Spawned client =
        spawn(
            Spawned.node(
                "require('net').connect(process.argv[1], () => console.log('ready'))"
                    + ".on('data', () => {})",
                path));
    client.awaitStdout("ready", WAIT);
    Spawned info = spawn(Spawned.jnet("info", "--format", "json", path));
    assertThat(info.awaitExit(WAIT)).as(info.stderr()).isZero();
    assertThat(info.stdout())
        .contains("\"listener\":{\"pid\":" + echo.pid() + ",")
        .containsPattern(
            "\"connections\":\\[\\{\"inode\":\\d+,\"pid\":" + client.pid() + ",\"cmd\":\"node -e")
        .as("one client, and not the server's own end")
        .doesNotContain("\"pid\":" + echo.pid() + ",\"cmd\":\"java");
  }

  @Test
  void aPortShowsItsListenerAndItsPeers() throws Exception {
    Spawned echo = spawn(Spawned.jnet("echo", "tcp://127.0.0.1:0"));
    String endpoint = listening(echo);
    Spawned client = spawn(Spawned.jnet("connect", endpoint));
    echo.awaitStderr("#1 accept", WAIT);
    Spawned info = spawn(Spawned.jnet("info", endpoint.replaceAll(".*:", "")));
    assertThat(info.awaitExit(WAIT)).as(info.stderr()).isZero();
    assertThat(info.stdout())
        .containsPattern("state +listening\n")
        .containsPattern(
            "listeners +address=127\\.0\\.0\\.1:\\d+ uid=\\d+ pid=" + echo.pid() + " cmd=\\S*java ")
        .containsPattern("peers +peer=127\\.0\\.0\\.1:\\d+ pid=" + client.pid() + " cmd=");
  }

  @Test
  void staleMissingAndNotASocketAreTold() throws Exception {
    Files.writeString(dir.resolve("plain"), "x");
    Spawned plain = spawn(Spawned.jnet("info", dir.resolve("plain").toString()));
    assertThat(plain.awaitExit(WAIT)).isZero();
    assertThat(plain.stdout())
        .containsPattern("type +file\n")
        .containsPattern("state +not-a-socket\n");
    Spawned missing = spawn(Spawned.jnet("info", dir.resolve("none.sock").toString()));
    assertThat(missing.awaitExit(WAIT)).isEqualTo(ExitCodes.REFUSED);
    assertThat(missing.stdout()).containsPattern("state +missing\n");
  }
}
