package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's TLS as processes: {@code echo --self-signed} against {@code connect --tls} (which
 * refuses the unknown certificate), {@code connect --insecure}, {@code connect --ca} with the
 * certificate {@code openssl} made, Node's {@code tls} client and {@code openssl s_client}.
 */
@Timeout(90)
class TlsIT extends SpawningTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private String echo(String... tls) throws InterruptedException {
    String[] args = new String[tls.length + 2];
    args[0] = "echo";
    System.arraycopy(tls, 0, args, 1, tls.length);
    args[args.length - 1] = "tcp://127.0.0.1:0";
    Spawned echo = spawn(Spawned.jnet(args));
    return echo.awaitStderr("listening on tcp://127\\.0\\.0\\.1:(\\d+) \\(tls\\)\\R", WAIT)
        .group(1);
  }

  private Spawned connect(String input, String... args) throws Exception {
    Path in = Files.writeString(dir.resolve("in-" + System.nanoTime()), input);
    String[] all = new String[args.length + 1];
    all[0] = "connect";
    System.arraycopy(args, 0, all, 1, args.length);
    Spawned c = spawn(Spawned.jnet(all).redirectInput(in.toFile()));
    c.awaitExit(WAIT);
    return c;
  }

  @Test
  void aSelfSignedServerIsRefusedUnlessTheClientSaysInsecure() throws Exception {
    String port = echo("--self-signed");
    Spawned strict = connect("hi\n", "--tls", "tcp://127.0.0.1:" + port);
    assertThat(strict.awaitExit(WAIT)).isEqualTo(1);
    assertThat(strict.stderr()).isEqualTo("jnet: self-signed certificate\n");
    assertThat(strict.stdoutBytes()).isEmpty();

    Spawned info = spawn(Spawned.jnet("info", "--tls", port));
    assertThat(info.awaitExit(WAIT)).as(info.stderr()).isZero();
    assertThat(new String(info.stdoutBytes(), StandardCharsets.UTF_8))
        .contains("tls          protocol=TLSv1.3 ")
        .contains("authorized=false reason=DEPTH_ZERO_SELF_SIGNED_CERT")
        .containsPattern(
            "certificates subject=\"CN=localhost\" issuer=\"CN=localhost\" expires=\\S+ sha256=[0-9A-F:]{95}");

    Spawned lax = connect("hi\n", "--insecure", "tcp://localhost:" + port);
    assertThat(lax.awaitExit(WAIT)).as(lax.stderr()).isZero();
    assertThat(new String(lax.stdoutBytes(), StandardCharsets.UTF_8)).isEqualTo("hi\n");
    assertThat(lax.stderr())
        .contains("NOT authorized: DEPTH_ZERO_SELF_SIGNED_CERT")
        .contains("jnet: tls peer subject=\"CN=localhost\"");
  }

  @Test
  void opensslsCertificateAndPeersOnBothSides() throws Exception {
    Assumptions.assumeTrue(which("openssl"), "openssl is not installed");
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor()).isZero();
    String port = echo("--cert", cert.toString(), "--key", key.toString());
    Spawned verified =
        connect("verified\n", "--ca", cert.toString(), "-v", "tcp://127.0.0.1:" + port);
    assertThat(verified.awaitExit(WAIT)).as(verified.stderr()).isZero();
    assertThat(new String(verified.stdoutBytes(), StandardCharsets.UTF_8)).isEqualTo("verified\n");
    assertThat(verified.stderr()).contains("TLSv1.3").contains(" authorized");

    // openssl s_client as the peer
    Spawned sclient =
        spawn(
            new ProcessBuilder(
                    "openssl",
                    "s_client",
                    "-quiet",
                    "-verify_return_error",
                    "-CAfile",
                    cert.toString(),
                    "-connect",
                    "127.0.0.1:" + port)
                .redirectInput(Files.writeString(dir.resolve("s"), "from openssl\n").toFile()));
    sclient.awaitStdout("from openssl\n", WAIT);

    // Node's tls module as the peer
    Assumptions.assumeTrue(Spawned.nodeAvailable(), "node is not installed");
    Spawned node =
        spawn(
            Spawned.node(
                "const tls=require('tls'),fs=require('fs');"
                    + "const c=tls.connect({port:+process.argv[1],host:'127.0.0.1',"
                    + "ca:fs.readFileSync(process.argv[2])},()=>{c.end('from node\\n')});"
                    + "c.pipe(process.stdout);c.on('error',e=>{console.error(e.code);process.exit(1)});",
                port,
                cert.toString()));
    assertThat(node.awaitExit(WAIT)).as(node.stderr()).isZero();
    assertThat(new String(node.stdoutBytes(), StandardCharsets.UTF_8)).isEqualTo("from node\n");
  }

  @Test
  void aRelayTerminatesTlsOnOneEndAndOriginatesItOnTheOther() throws Exception {
    // plain echo <- relay (terminates TLS) <- connect --insecure
    Spawned plain = spawn(Spawned.jnet("echo", "tcp://127.0.0.1:0"));
    String plainPort =
        plain.awaitStderr("listening on tcp://127\\.0\\.0\\.1:(\\d+)\\R", WAIT).group(1);
    Spawned terminator =
        spawn(
            Spawned.jnet(
                "relay",
                "--self-signed",
                "tls:listen:tcp://127.0.0.1:0",
                "tcp://127.0.0.1:" + plainPort));
    String tlsPort =
        terminator.awaitStderr("listening on tcp://127\\.0\\.0\\.1:(\\d+)\\R", WAIT).group(1);
    Spawned viaTls =
        connect("through a TLS terminator\n", "--insecure", "tcp://localhost:" + tlsPort);
    assertThat(viaTls.awaitExit(WAIT)).as(viaTls.stderr()).isZero();
    assertThat(new String(viaTls.stdoutBytes(), StandardCharsets.UTF_8))
        .isEqualTo("through a TLS terminator\n");

    // plain connect -> relay (originates TLS) -> TLS echo
    String tlsEcho = echo("--self-signed");
    Spawned originator =
        spawn(
            Spawned.jnet(
                "relay",
                "--insecure",
                "listen:tcp://127.0.0.1:0",
                "tls:tcp://localhost:" + tlsEcho));
    String relayPort =
        originator.awaitStderr("listening on tcp://127\\.0\\.0\\.1:(\\d+)\\R", WAIT).group(1);
    Spawned viaPlain = connect("to a TLS server\n", "tcp://127.0.0.1:" + relayPort);
    assertThat(viaPlain.awaitExit(WAIT)).as(viaPlain.stderr()).isZero();
    assertThat(new String(viaPlain.stdoutBytes(), StandardCharsets.UTF_8))
        .isEqualTo("to a TLS server\n");
  }

  private static boolean which(String tool) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
