package dev.jnet.tcp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import dev.jnet.tls.Tls;
import dev.jnet.tls.TlsCredentials;
import dev.jnet.tls.TlsOptions;
import dev.jnet.tls.TlsServer;
import dev.jnet.tls.TlsServerOptions;
import dev.jnet.tls.TlsSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TLS over TCP against jnet itself: verification and its codes, ALPN, SNI, client certificates,
 * reload, a peer that does not speak TLS, a handshake that never ends, and the end of a stream.
 */
class TlsTcpTest {
  private static final Certs CERTS = new Certs("jnet test ca");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<AutoCloseable> cleanup = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  private TlsServer echo(TlsServerOptions options, LinkedBlockingQueue<Object> events) {
    TlsServer s =
        Tls.createServer(
            options,
            sock -> {
              events.add(sock);
              sock.pipe(sock);
            });
    s.onTlsClientError(events::add);
    s.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();
    cleanup.add(() -> s.close());
    return s;
  }

  private static Endpoint at(TlsServer s, String host) {
    int port = ((Endpoint.Tcp) s.address().orElseThrow()).port();
    return Endpoint.parse("tcp://" + host + ":" + port);
  }

  private static String roundTrip(TlsSocket c, String text) throws Exception {
    CompletableFuture<String> got = new CompletableFuture<>();
    StringBuilder b = new StringBuilder();
    c.onData(d -> b.append(StandardCharsets.UTF_8.decode(d)));
    c.onEnd(() -> got.complete(b.toString()));
    c.onError(got::completeExceptionally);
    c.end(text);
    return got.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static NetException failure(TlsSocket c) throws Exception {
    CompletableFuture<NetException> err = new CompletableFuture<>();
    c.onError(err::complete);
    c.onSecureConnect(() -> err.completeExceptionally(new AssertionError("secureConnect")));
    return err.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void anEchoRoundTripIsVerifiedAndReportsWhatWasAgreed() throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    TlsServer s = echo(TlsServerOptions.of(CERTS.leaf("localhost")), events);
    TlsSocket c = Tls.connect(at(s, "localhost"), TlsOptions.defaults().withCa(List.of(CERTS.ca)));
    CompletableFuture<Void> secure = new CompletableFuture<>();
    c.onSecureConnect(() -> secure.complete(null));
    assertThat(roundTrip(c, "hello over tls")).isEqualTo("hello over tls");
    assertThat(secure).isDone();
    assertThat(c.isAuthorized()).isTrue();
    assertThat(c.authorizationError()).isEmpty();
    assertThat(c.protocol()).contains("TLSv1.3");
    assertThat(c.cipher()).isPresent();
    assertThat(c.peerCertificate().orElseThrow().getSubjectX500Principal().getName())
        .isEqualTo("CN=localhost");
    TlsSocket served = (TlsSocket) events.poll(10, TimeUnit.SECONDS);
    assertThat(served.servername()).contains("localhost");
    assertThat(served.isAuthorized()).isFalse(); // no client certificate asked for
  }

  @Test
  void certificateFailuresCarryNodesCodes() throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ZonedDateTime now = ZonedDateTime.now();
    TlsCredentials selfSigned = TlsCredentials.selfSigned("localhost");
    record Case(TlsCredentials server, TlsOptions client, String host, ErrorCode code) {}
    TlsOptions trusting = TlsOptions.defaults().withCa(List.of(CERTS.ca));
    List<Case> cases =
        List.of(
            new Case(
                selfSigned,
                TlsOptions.defaults(),
                "localhost",
                ErrorCode.DEPTH_ZERO_SELF_SIGNED_CERT),
            new Case(
                CERTS.leaf("localhost"),
                TlsOptions.defaults(),
                "localhost",
                ErrorCode.UNABLE_TO_VERIFY_LEAF_SIGNATURE),
            new Case(
                CERTS.leafWithChain("localhost"),
                TlsOptions.defaults(),
                "localhost",
                ErrorCode.SELF_SIGNED_CERT_IN_CHAIN),
            new Case(
                CERTS.leaf(now.minusDays(3), now.minusDays(1), "localhost"),
                trusting,
                "localhost",
                ErrorCode.CERT_HAS_EXPIRED),
            new Case(
                CERTS.leaf(now.plusDays(1), now.plusDays(3), "localhost"),
                trusting,
                "localhost",
                ErrorCode.CERT_NOT_YET_VALID),
            new Case(
                CERTS.leaf("other.test"),
                trusting,
                "localhost",
                ErrorCode.ERR_TLS_CERT_ALTNAME_INVALID),
            new Case(
                CERTS.leaf("localhost"),
                trusting,
                "127.0.0.1",
                ErrorCode.ERR_TLS_CERT_ALTNAME_INVALID));
    for (Case k : cases) {
      TlsServer s = echo(TlsServerOptions.of(k.server()), events);
      NetException e = failure(Tls.connect(at(s, k.host()), k.client()));
      assertThat(e.code()).as(k.toString()).isEqualTo(k.code());
      // The same with rejectUnauthorized off: the connection goes on, unauthorized, with the
      // reason.
      TlsSocket lax = Tls.connect(at(s, k.host()), k.client().withRejectUnauthorized(false));
      assertThat(roundTrip(lax, "x")).isEqualTo("x");
      assertThat(lax.isAuthorized()).isFalse();
      assertThat(lax.authorizationError().orElseThrow().code()).isEqualTo(k.code());
    }
    NetException e =
        failure(
            Tls.connect(
                at(echo(TlsServerOptions.of(CERTS.leaf("localhost")), events), "127.0.0.1"),
                TlsOptions.defaults().withCa(List.of(CERTS.ca))));
    assertThat(e.getMessage())
        .isEqualTo(
            "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ");
  }

  @Test
  void alpnSniAndClientCertificates() throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    Certs clients = new Certs("clients ca");
    TlsServerOptions o =
        TlsServerOptions.of(CERTS.leaf("localhost"))
            .withSniCredentials("*.example.test", CERTS.leaf("*.example.test"))
            .withAlpnProtocols("h2", "jnet/1")
            .withClientCertificates(true, List.of(clients.ca));
    TlsServer s = echo(o, events);
    TlsOptions c =
        TlsOptions.defaults()
            .withCa(List.of(CERTS.ca))
            .withServername("api.example.test")
            .withAlpnProtocols("jnet/1")
            .withCredentials(clients.leaf("client one"));
    TlsSocket sock = Tls.connect(at(s, "127.0.0.1"), c);
    assertThat(roundTrip(sock, "ok")).isEqualTo("ok");
    assertThat(sock.alpnProtocol()).contains("jnet/1");
    assertThat(sock.peerCertificate().orElseThrow().getSubjectX500Principal().getName())
        .isEqualTo("CN=*.example.test");
    TlsSocket served = (TlsSocket) events.poll(10, TimeUnit.SECONDS);
    assertThat(served.isAuthorized()).isTrue();
    assertThat(served.servername()).contains("api.example.test");
    assertThat(served.alpnProtocol()).contains("jnet/1");
    assertThat(served.peerCertificate().orElseThrow().getSubjectX500Principal().getName())
        .isEqualTo("CN=client one");

    // no client certificate: the handshake fails on both sides, the server serves on
    TlsSocket anonymous =
        Tls.connect(
            at(s, "127.0.0.1"),
            TlsOptions.defaults()
                .withCa(List.of(CERTS.ca))
                .withServername("localhost")
                .withAlpnProtocols("h2"));
    // TLS 1.3: the client's handshake ends before the server checks its certificate, so the
    // refusal comes after secureConnect, as in Node
    CompletableFuture<NetException> refused = new CompletableFuture<>();
    anonymous.onError(refused::complete);
    NetException e = refused.get(10, TimeUnit.SECONDS);
    assertThat(e.code())
        .isIn(
            ErrorCode.ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED,
            ErrorCode.ECONNRESET,
            ErrorCode.ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE);
    Object reported = events.poll(10, TimeUnit.SECONDS);
    assertThat(reported).isInstanceOf(NetException.class);

    // an unknown ALPN protocol
    NetException alpn = failure(Tls.connect(at(s, "127.0.0.1"), c.withAlpnProtocols("smtp")));
    assertThat(alpn.code()).isEqualTo(ErrorCode.ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL);
  }

  @Test
  void setSecureContextServesTheNewCertificateToNewConnections() throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    TlsServer s = echo(TlsServerOptions.of(CERTS.leaf("localhost")), events);
    TlsOptions trusting = TlsOptions.defaults().withCa(List.of(CERTS.ca));
    TlsSocket first = Tls.connect(at(s, "localhost"), trusting);
    first.write("a");
    TlsCredentials renewed = CERTS.leaf("localhost", "renewed.test");
    s.setSecureContext(TlsServerOptions.of(renewed));
    TlsSocket second = Tls.connect(at(s, "localhost"), trusting);
    assertThat(roundTrip(second, "b")).isEqualTo("b");
    assertThat(second.peerCertificate().orElseThrow()).isEqualTo(renewed.certificate());
    assertThat(roundTrip(first, "c")).isEqualTo("ac"); // the first one carries on
  }

  @Test
  void aPlainTextClientIsReportedAndTheServerServesOn() throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    TlsServer s = echo(TlsServerOptions.of(CERTS.leaf("localhost")), events);
    Socket plain = dev.jnet.Net.createConnection(at(s, "127.0.0.1"));
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    plain.onClose(closed::complete);
    plain.onError(e -> {});
    plain.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    Object reported = events.poll(10, TimeUnit.SECONDS);
    assertThat(reported).isInstanceOf(NetException.class);
    assertThat(((NetException) reported).code()).isEqualTo(ErrorCode.ERR_SSL_WRONG_VERSION_NUMBER);
    closed.get(10, TimeUnit.SECONDS);
    TlsSocket c = Tls.connect(at(s, "localhost"), TlsOptions.defaults().withCa(List.of(CERTS.ca)));
    assertThat(roundTrip(c, "still serving")).isEqualTo("still serving");
  }

  @Test
  void aClientThatNeverHandshakesIsDroppedAfterTheTimeout() throws Exception {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    TlsServer s =
        echo(
            TlsServerOptions.of(CERTS.leaf("localhost"))
                .withHandshakeTimeout(Duration.ofMillis(300)),
            events);
    Socket silent = dev.jnet.Net.createConnection(at(s, "127.0.0.1"));
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    silent.onClose(closed::complete);
    Object reported = events.poll(10, TimeUnit.SECONDS);
    assertThat(((NetException) reported).code()).isEqualTo(ErrorCode.ERR_TLS_HANDSHAKE_TIMEOUT);
    closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void halfCloseSendsCloseNotifyAndTheOtherDirectionGoesOn() throws Exception {
    halfClose("TLSv1.3");
  }

  @Test
  void underTls12AWriteAfterThePeersCloseNotifyFailsLoudly() throws Exception {
    // The JDK answers a TLS 1.2 close_notify with its own and closes its output (TLS 1.2's duplex
    // close): what the server writes after the client's end cannot be sent, and it must say so.
    CompletableFuture<NetException> serverError = new CompletableFuture<>();
    CompletableFuture<java.util.Optional<NetException>> writeOutcome = new CompletableFuture<>();
    TlsServer s =
        Tls.createServer(
            dev.jnet.ServerOptions.defaults().withAllowHalfOpen(true),
            TlsServerOptions.of(CERTS.leaf("localhost")).withVersions("TLSv1.2", "TLSv1.2"),
            sock -> {
              sock.onError(serverError::complete);
              sock.onData(d -> {});
              sock.onEnd(
                  () ->
                      sock.write(
                          java.nio.ByteBuffer.wrap("late reply".getBytes(StandardCharsets.UTF_8)),
                          writeOutcome::complete));
            });
    s.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();
    cleanup.add(() -> s.close());
    TlsSocket c =
        Tls.connect(
            at(s, "localhost"),
            dev.jnet.SocketOptions.defaults().withAllowHalfOpen(true),
            TlsOptions.defaults().withCa(List.of(CERTS.ca)).withVersions("TLSv1.2", "TLSv1.2"));
    String got = roundTrip(c, "request");
    java.util.Optional<NetException> outcome = writeOutcome.get(10, TimeUnit.SECONDS);
    assertThat(got).isEmpty();
    assertThat(outcome).as("the late write's callback carries the failure").isPresent();
    assertThat(serverError.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  private void halfClose(String version) throws Exception {
    CompletableFuture<String> atServer = new CompletableFuture<>();
    TlsServer s =
        Tls.createServer(
            dev.jnet.ServerOptions.defaults().withAllowHalfOpen(true),
            TlsServerOptions.of(CERTS.leaf("localhost")).withVersions(version, version),
            sock -> {
              StringBuilder b = new StringBuilder();
              sock.onData(d -> b.append(StandardCharsets.UTF_8.decode(d)));
              sock.onEnd(
                  () -> {
                    atServer.complete(b.toString());
                    sock.end("reply after your end");
                  });
            });
    s.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();
    cleanup.add(() -> s.close());
    TlsSocket c =
        Tls.connect(
            at(s, "localhost"),
            dev.jnet.SocketOptions.defaults().withAllowHalfOpen(true),
            TlsOptions.defaults().withCa(List.of(CERTS.ca)).withVersions(version, version));
    assertThat(roundTrip(c, "request")).isEqualTo("reply after your end");
    assertThat(c.protocol()).contains(version);
    assertThat(atServer.get(10, TimeUnit.SECONDS)).isEqualTo("request");
  }

  @Test
  void theMessageLayerRunsOverTlsOnBothSides() throws Exception {
    CompletableFuture<Boolean> servedOverTls = new CompletableFuture<>();
    dev.jnet.message.MessageServer server =
        dev.jnet.message.MessageServer.createTls(
            dev.jnet.message.MessageServerOptions.defaults(),
            TlsServerOptions.of(CERTS.leaf("localhost")),
            dev.jnet.message.Framing.lengthPrefixed(),
            conn -> {
              servedOverTls.complete(conn.socket().orElseThrow() instanceof TlsSocket);
              conn.onMessage(m -> conn.send(m));
            });
    server.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();
    cleanup.add(() -> server.close());
    int port = ((Endpoint.Tcp) server.server().address().orElseThrow()).port();
    dev.jnet.message.MessageClient client =
        dev.jnet.message.MessageClient.connectTls(
            Endpoint.parse("tcp://localhost:" + port),
            dev.jnet.message.Framing.lengthPrefixed(),
            dev.jnet.message.ReconnectOptions.defaults(),
            TlsOptions.defaults().withCa(List.of(CERTS.ca)));
    cleanup.add(client::close);
    CompletableFuture<String> echoed = new CompletableFuture<>();
    client.onMessage(m -> echoed.complete(StandardCharsets.UTF_8.decode(m).toString()));
    client.send(java.nio.ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
    assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
    assertThat(servedOverTls.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void startTlsUpgradesAPlainConnectionOnBothSides() throws Exception {
    // an SMTP-like exchange: the client asks in plain text, the server agrees and starts TLS, the
    // client starts TLS on the go-ahead; then the stream is encrypted both ways
    CompletableFuture<TlsSocket> serverSide = new CompletableFuture<>();
    dev.jnet.Server plainServer =
        dev.jnet.Net.createServer(
            sock -> {
              sock.setEncoding(StandardCharsets.UTF_8);
              sock.onText(
                  line -> {
                    if (line.equals("STARTTLS\n")) {
                      sock.write("OK\n");
                      TlsSocket t =
                          Tls.upgradeServer(sock, TlsServerOptions.of(CERTS.leaf("localhost")));
                      t.pipe(t); // an echo, now over TLS
                      serverSide.complete(t);
                    }
                  });
            });
    plainServer.listen(Endpoint.parse("tcp://127.0.0.1:0")).toCompletableFuture().join();
    cleanup.add(() -> plainServer.close());
    int port = ((Endpoint.Tcp) plainServer.address().orElseThrow()).port();
    Socket plain = dev.jnet.Net.createConnection(Endpoint.parse("tcp://localhost:" + port));
    CompletableFuture<Boolean> plainClosed = new CompletableFuture<>();
    plain.onClose(plainClosed::complete);
    CompletableFuture<TlsSocket> upgraded = new CompletableFuture<>();
    plain.setEncoding(StandardCharsets.UTF_8);
    plain.onText(
        line -> {
          if (line.equals("OK\n")) {
            upgraded.complete(Tls.upgrade(plain, TlsOptions.defaults().withCa(List.of(CERTS.ca))));
          }
        });
    plain.write("STARTTLS\n");
    TlsSocket client = upgraded.get(10, TimeUnit.SECONDS);
    assertThat(roundTrip(client, "secret after STARTTLS")).isEqualTo("secret after STARTTLS");
    assertThat(client.isAuthorized()).isTrue();
    assertThat(client.protocol()).contains("TLSv1.3");
    assertThat(plainClosed.get(10, TimeUnit.SECONDS))
        .as("the plain socket closed quietly")
        .isFalse();
    assertThat(serverSide.get(10, TimeUnit.SECONDS).protocol()).contains("TLSv1.3");
  }
}
