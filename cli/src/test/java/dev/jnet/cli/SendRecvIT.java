package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.cli.spec.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code jnet send} and {@code jnet recv} as separate processes, with each other and with Node. */
class SendRecvIT extends SpawningTest {
  @Test
  void recvWritesWhatSendSentByteForByte() throws Exception {
    byte[] data = new byte[256 * 1024];
    new SplittableRandom(7).nextBytes(data);
    Path in = Files.write(dir.resolve("payload.bin"), data);
    Path out = dir.resolve("received.bin");
    Spawned recv = spawn(Spawned.jnet("recv", sockPath("drop.sock")).redirectOutput(out.toFile()));
    listening(recv);
    Spawned send = spawn(Spawned.jnet("send", sockPath("drop.sock"), in.toString()));
    assertThat(send.awaitExit(WAIT)).as(send.stderr()).isZero();
    assertThat(send.stdout()).isEmpty();
    assertThat(send.stderr()).isEmpty();
    assertThat(recv.awaitExit(WAIT)).as(recv.stderr()).isZero();
    assertThat(Files.mismatch(in, out)).isEqualTo(-1L);
  }

  @Test
  void recvTakesEverythingANodeClientSendsBeforeItsEnd() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    Spawned recv = spawn(Spawned.jnet("recv", "tcp://127.0.0.1:0"));
    String port = listening(recv).replaceAll(".*:", "");
    Spawned node =
        spawn(
            Spawned.node(
                """
        const s = require('net').connect(Number(process.argv[1]), '127.0.0.1', () => {
          s.write('first ');
          setTimeout(() => s.end('and last\\n'), 300);
        });
        s.on('end', () => console.log('server ended'));
        """,
                port));
    assertThat(node.awaitExit(WAIT)).isZero();
    assertThat(node.stdout()).isEqualTo("server ended\n");
    assertThat(recv.awaitExit(WAIT)).isZero();
    assertThat(recv.stdout()).isEqualTo("first and last\n");
  }

  @Test
  void sendReportsAMissingFileAndARefusedPort() throws Exception {
    Spawned missing =
        spawn(Spawned.jnet("send", "tcp://127.0.0.1:9", dir.resolve("nope").toString()));
    assertThat(missing.awaitExit(WAIT)).isEqualTo(ExitCodes.ERROR);
    assertThat(missing.stderr()).startsWith("jnet: open ENOENT").hasLineCount(1);
    Spawned refused =
        spawn(
            Spawned.jnet("send", "tcp://127.0.0.1:" + ClosedPort.find(), "-")
                .redirectInput(file("x")));
    assertThat(refused.awaitExit(WAIT)).isEqualTo(ExitCodes.REFUSED);
  }

  @Test
  void sendExitsFiveWhenThePeerNeverEnds() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    Spawned node =
        spawn(
            Spawned.node(
                """
        const srv = require('net').createServer({allowHalfOpen: true}, s => s.resume());
        srv.listen(0, '127.0.0.1', () => console.log('port ' + srv.address().port));
        """));
    String port = node.awaitStdout("port (\\d+)", WAIT).group(1);
    Spawned send =
        spawn(
            Spawned.jnet("send", "--linger", "300ms", "tcp://127.0.0.1:" + port, "-")
                .redirectInput(file("hello")));
    assertThat(send.awaitExit(WAIT)).isEqualTo(ExitCodes.LINGER_EXPIRED);
    assertThat(send.stderr()).contains("linger 300ms expired").hasLineCount(1);
  }
}
