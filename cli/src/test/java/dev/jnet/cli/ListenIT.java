package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.cli.spec.ExitCodes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code jnet listen} as a separate process, against {@code jnet connect} and Node clients. */
class ListenIT extends SpawningTest {
  private static final String NODE_CLIENT =
      """
      const net = require('net');
      const [where, text] = process.argv.slice(1);
      const s = /^\\d+$/.test(where) ? net.connect(Number(where), '127.0.0.1') : net.connect(where);
      let got = '';
      s.on('data', d => got += d);
      s.on('end', () => { process.stdout.write(got); });
      s.on('connect', () => s.end(text));
      """;

  private Spawned connect(String endpoint, String text) throws Exception {
    return spawn(Spawned.jnet("connect", endpoint).redirectInput(file(text)));
  }

  @Test
  void withoutKeepOneClientTalksWithStdinAndStdoutBothWays() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    Spawned listen =
        spawn(Spawned.jnet("listen", "tcp://127.0.0.1:0").redirectInput(file("from jnet\n")));
    String port = listening(listen).replaceAll(".*:", "");
    Spawned node = spawn(Spawned.node(NODE_CLIENT, port, "from node\n"));
    assertThat(node.awaitExit(WAIT)).as(node.stderr()).isZero();
    assertThat(node.stdout()).isEqualTo("from jnet\n");
    assertThat(listen.awaitExit(WAIT)).as(listen.stderr()).isZero();
    assertThat(listen.stdout()).isEqualTo("from node\n");
    assertThat(listen.stderr()).contains("#1 accept 127.0.0.1:");
  }

  @Test
  void keepServesClientsEachLabelled() throws Exception {
    Spawned listen = spawn(Spawned.jnet("listen", "-k", "--format", "text", "tcp://127.0.0.1:0"));
    String endpoint = listening(listen);
    assertThat(connect(endpoint, "one\n").awaitExit(WAIT)).isZero();
    listen.awaitStdout("#1 < \\S+ off=0 len=4 \"one\\\\n\"", WAIT);
    assertThat(connect(endpoint, "two\n").awaitExit(WAIT)).isZero();
    listen.awaitStdout("#2 < \\S+ off=0 len=4 \"two\\\\n\"", WAIT);
    listen.awaitStderr("#2 close 127\\.0\\.0\\.1:\\d+ in=4 out=0", WAIT);
    listen.signal("INT");
    assertThat(listen.awaitExit(WAIT)).isEqualTo(ExitCodes.INTERRUPTED);
  }

  @Test
  void aClientsCloseLineFollowsItsDataWhenStdoutAndStderrShareAFile() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    // 2>&1: the data lines are written by each client's stdout sink, the close line by the event
    // thread; 100 clients that send a line and end at once give the close every chance to overtake
    Spawned listen =
        spawn(
            Spawned.jnet("listen", "-k", "--format", "text", "tcp://127.0.0.1:0")
                .redirectErrorStream(true));
    String endpoint = listen.awaitStdout("listening on (\\S+)\\R", WAIT).group(1);
    String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
    Spawned clients =
        spawn(
            Spawned.node(
                "const net = require('net'); let n = 0;"
                    + "for (let i = 0; i < 100; i++) {"
                    + "  const s = net.connect(+process.argv[1], '127.0.0.1', () => s.end('x\\n'));"
                    + "  s.resume(); s.on('close', () => { if (++n === 100) process.exit(0); });"
                    + "}",
                port));
    assertThat(clients.awaitExit(WAIT)).isZero();
    for (int id = 1; id <= 100; id++) {
      listen.awaitStdout("#" + id + " close 127\\.0\\.0\\.1:\\d+ in=2", WAIT);
    }
    String out = listen.stdout();
    for (int id = 1; id <= 100; id++) {
      assertThat(out.indexOf("#" + id + " close"))
          .as("#%d's close line after its data", id)
          .isGreaterThan(out.indexOf("#" + id + " < "));
    }
  }

  @Test
  void execRunsACommandPerClientWithTheHalfClosePassedOn() throws Exception {
    Spawned listen =
        spawn(Spawned.jnet("listen", "-k", "--exec", "tr a-z A-Z", "tcp://127.0.0.1:0"));
    String endpoint = listening(listen);
    Spawned c1 = connect(endpoint, "hello\n");
    Spawned c2 = connect(endpoint, "second client\n");
    assertThat(c1.awaitExit(WAIT)).as(c1.stderr()).isZero();
    assertThat(c2.awaitExit(WAIT)).as(c2.stderr()).isZero();
    assertThat(c1.stdout()).isEqualTo("HELLO\n");
    assertThat(c2.stdout()).isEqualTo("SECOND CLIENT\n");
  }

  @Test
  void brokerSendsEachClientsDataToTheOthers() throws Exception {
    Spawned listen = spawn(Spawned.jnet("listen", "--broker", "tcp://127.0.0.1:0"));
    String endpoint = listening(listen);
    Spawned a = spawn(Spawned.jnet("connect", endpoint));
    listen.awaitStderr("#1 accept", WAIT);
    Spawned b = spawn(Spawned.jnet("connect", endpoint));
    listen.awaitStderr("#2 accept", WAIT);
    b.stdin().write("hi from b\n".getBytes(StandardCharsets.UTF_8));
    b.stdin().flush();
    a.awaitStdout("hi from b\n", WAIT);
    a.stdin().write("hi from a\n".getBytes(StandardCharsets.UTF_8));
    a.stdin().flush();
    b.awaitStdout("hi from a\n", WAIT);
    assertThat(a.stdout()).doesNotContain("hi from a");
  }

  @Test
  void aUnixPeerIsShownWithPidUidGidAndCommandLine() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    String endpoint = sockPath("l.sock");
    Spawned listen = spawn(Spawned.jnet("listen", "-k", endpoint));
    listening(listen);
    Spawned node = spawn(Spawned.node(NODE_CLIENT, endpoint.substring(5), "x"));
    assertThat(node.awaitExit(WAIT)).isZero();
    if (Spawned
        .onNio()) { // NIO cannot read the peer's credentials: the peer is left unnamed, never
      // misnamed
      listen.awaitStderr("#1 accept \\?\n", WAIT);
      return;
    }
    String uid =
        new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip();
    listen.awaitStderr(
        "#1 accept pid=" + node.pid() + " uid=" + uid + " gid=\\d+ cmd=\"node -e ", WAIT);
  }

  @Test
  void denyAndAllowRefusePeersBeforeTheirData() throws Exception {
    Spawned listen =
        spawn(Spawned.jnet("listen", "-k", "--deny", "127.0.0.0/8", "tcp://127.0.0.1:0"));
    String endpoint = listening(listen);
    connect(endpoint, "secret\n").awaitExit(WAIT);
    listen.awaitStderr("#- refuse 127\\.0\\.0\\.1:\\d+ \\(--allow/--deny\\)", WAIT);
    assertThat(listen.stdout()).isEmpty();

    String path = sockPath("only.sock");
    Spawned strict = spawn(Spawned.jnet("listen", "-k", "--allow", "uid:4242424", path));
    listening(strict);
    connect(path, "secret\n").awaitExit(WAIT);
    // a uid rule fails closed where the peer's uid cannot be read (NIO)
    strict.awaitStderr(
        Spawned.onNio() ? "#- refuse \\? \\(--allow/--deny\\)" : "#- refuse pid=\\d+ uid=", WAIT);
    assertThat(strict.stdout()).isEmpty();
  }

  @Test
  void maxConnsTurnsAwayClientsBeyondTheLimit() throws Exception {
    Spawned listen = spawn(Spawned.jnet("listen", "-k", "--max-conns", "1", "tcp://127.0.0.1:0"));
    String endpoint = listening(listen);
    Spawned first = spawn(Spawned.jnet("connect", endpoint));
    listen.awaitStderr("#1 accept", WAIT);
    Spawned second = connect(endpoint, "turned away\n");
    second.awaitExit(WAIT);
    assertThat(second.stdout()).isEmpty();
    first.stdin().write("still served\n".getBytes(StandardCharsets.UTF_8));
    first.stdin().flush();
    listen.awaitStdout("still served\n", WAIT);
    assertThat(listen.stdout()).doesNotContain("turned away");
    assertThat(listen.stderr()).doesNotContain("#2 accept");
  }

  @Test
  void framingLinesPrintsOneMessagePerLine() throws Exception {
    Spawned listen =
        spawn(
            Spawned.jnet("listen", "--framing", "lines", "--format", "text", "tcp://127.0.0.1:0")
                .redirectInput(file("reply\n")));
    String endpoint = listening(listen);
    Spawned c = connect(endpoint, "a\nbb\n");
    assertThat(c.awaitExit(WAIT)).isZero();
    assertThat(c.stdout()).isEqualTo("reply\n");
    assertThat(listen.awaitExit(WAIT)).as(listen.stderr()).isZero();
    assertThat(listen.stdout())
        .containsPattern("#1 < \\S+ msg=0 len=1 \"a\"\n")
        .containsPattern("#1 < \\S+ msg=1 len=2 \"bb\"\n")
        .containsPattern("#1 > \\S+ msg=0 len=5 \"reply\"\n");
  }

  @Test
  void framingDropsClientsThatStallMidFrameOrSayNothingWithEtimedout() throws Exception {
    Spawned listen =
        spawn(
            Spawned.jnet(
                "listen",
                "-k",
                "--framing",
                "lp",
                "--format",
                "text",
                "--frame-timeout",
                "300ms",
                "--first-frame-timeout",
                "1s",
                "tcp://127.0.0.1:0"));
    String[] hostPort = listening(listen).substring("tcp://".length()).split(":");
    java.net.InetSocketAddress at =
        new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    try (java.net.Socket stall = new java.net.Socket(at.getAddress(), at.getPort());
        java.net.Socket silent = new java.net.Socket(at.getAddress(), at.getPort())) {
      stall.getOutputStream().write(new byte[] {0, 0, 0, 5, 'h'});
      stall.getOutputStream().flush();
      stall.setSoTimeout(30_000);
      silent.setSoTimeout(30_000);
      assertThat(stall.getInputStream().read()).as("the stalled client is dropped").isEqualTo(-1);
      assertThat(silent.getInputStream().read()).as("the silent client is dropped").isEqualTo(-1);
    }
    assertThat(listen.awaitStderr("#1 close \\S+ in=5 out=0 time=\\d+ms error=ETIMEDOUT", WAIT))
        .isNotNull();
    assertThat(listen.awaitStderr("#2 close \\S+ in=0 out=0 time=\\d+ms error=ETIMEDOUT", WAIT))
        .isNotNull();
  }

  @Test
  void keepPassesTheEndOfStdinToEveryClientNowAndLater() throws Exception {
    assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    Spawned listen = spawn(Spawned.jnet("listen", "-k", "tcp://127.0.0.1:0"));
    String endpoint = listening(listen);
    Spawned early = spawn(Spawned.jnet("connect", endpoint));
    listen.awaitStderr("#1 accept", WAIT);
    listen.stdin().write("to everyone\n".getBytes(StandardCharsets.UTF_8));
    listen.stdin().close();
    // the early client gets the data, then our EOF, while its own stdin is still open
    assertThat(early.awaitExit(WAIT)).as(early.stderr()).isZero();
    assertThat(early.stdout()).isEqualTo("to everyone\n");
    // a later client gets our EOF at once and can still send: a half-close, not a close
    Spawned late =
        spawn(
            Spawned.node(
                """
        const s = require('net').connect({port: Number(process.argv[1]), host: '127.0.0.1', allowHalfOpen: true});
        let got = '';
        s.on('data', d => got += d);
        s.on('end', () => s.end('late but heard\\n'));
        s.on('close', () => process.stdout.write('closed, got [' + got + ']'));
        """,
                endpoint.replaceAll(".*:", "")));
    assertThat(late.awaitExit(WAIT)).as(late.stderr()).isZero();
    assertThat(late.stdout()).isEqualTo("closed, got []");
    listen.awaitStdout("late but heard\n", WAIT);
    listen.signal("INT");
    assertThat(listen.awaitExit(WAIT)).isEqualTo(ExitCodes.INTERRUPTED);
  }
}
