package dev.jnet.tcp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnet's TLS client against Node's {@code tls} servers that misbehave as real ones do: a server
 * that ends its TCP stream without {@code close_notify} (Node's own client takes that as a plain
 * end, and so does jnet), and one that injects bytes into the TLS stream after the handshake
 * (Node's client fails with {@code ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC}, and so does jnet).
 * Node's servers are spoken to over real sockets.
 */
@Timeout(60)
class TlsNodePeerIT {
  private static final String SERVER =
      """
      const net=require('net'),tls=require('tls'),fs=require('fs');
      const [mode,keyFile,certFile]=process.argv.slice(1);
      const key=fs.readFileSync(keyFile),cert=fs.readFileSync(certFile);
      const srv=net.createServer(raw=>{
        const t=new tls.TLSSocket(raw,{isServer:true,key,cert});
        t.on('error',()=>{});
        t.on('secure',()=>t.write('a',()=>setTimeout(()=>{
          if(mode==='no-close-notify') raw.end();
          else raw.write(Buffer.from('170303000568656c6c6f','hex'));
        },50)));
      }).listen(0,'127.0.0.1',()=>console.log(srv.address().port));
      process.stdin.on('end',()=>process.exit(0));process.stdin.resume();
      """;

  @TempDir static Path dir;
  private static TlsCredentials credentials;
  private final List<Process> processes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void credentials() throws Exception {
    credentials = TlsCredentials.selfSigned("localhost");
    Files.writeString(dir.resolve("key.pem"), credentials.keyPem());
    Files.writeString(dir.resolve("cert.pem"), credentials.certificatePem());
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private int nodeServer(String mode) throws Exception {
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "node",
                  "-e",
                  SERVER,
                  mode,
                  dir.resolve("key.pem").toString(),
                  dir.resolve("cert.pem").toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("node is not installed: " + e.getMessage());
      throw e;
    }
    processes.add(p);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return r.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    return Integer.parseInt(line.get(20, TimeUnit.SECONDS).trim());
  }

  private static TlsSocket connect(int port) {
    return Tls.connect(
        Endpoint.parse("tcp://localhost:" + port),
        TlsOptions.defaults().withCa(List.of(credentials.certificate())));
  }

  @Test
  void anEndWithoutCloseNotifyIsAPlainEndAsInNode() throws Exception {
    TlsSocket c = connect(nodeServer("no-close-notify"));
    StringBuilder got = new StringBuilder();
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    List<String> events = new CopyOnWriteArrayList<>();
    c.onData(d -> got.append(StandardCharsets.UTF_8.decode(d)));
    c.onEnd(() -> events.add("end"));
    c.onError(e -> events.add("error:" + e.code()));
    c.onClose(closed::complete);
    assertThat(closed.get(20, TimeUnit.SECONDS)).isFalse();
    assertThat(got.toString()).isEqualTo("a");
    assertThat(events).containsExactly("end");
  }

  @Test
  void bytesInjectedIntoTheStreamFailTheSocketAsInNode() throws Exception {
    TlsSocket c = connect(nodeServer("garbage"));
    StringBuilder got = new StringBuilder();
    CompletableFuture<NetException> error = new CompletableFuture<>();
    c.onData(d -> got.append(StandardCharsets.UTF_8.decode(d)));
    c.onError(error::complete);
    NetException e = error.get(20, TimeUnit.SECONDS);
    assertThat(e.code())
        .as(e.getMessage())
        .isEqualTo(ErrorCode.ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC);
    assertThat(got.toString()).isEqualTo("a");
  }
}
