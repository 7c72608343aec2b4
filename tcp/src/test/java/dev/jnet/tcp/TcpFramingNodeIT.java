package dev.jnet.tcp;

import static dev.jnet.testkit.FramingInbox.bytes;
import static dev.jnet.testkit.FramingInbox.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import dev.jnet.message.Messenger;
import dev.jnet.testkit.FramingInbox;
import dev.jnet.testkit.FramingSupport;
import dev.jnet.testkit.TransportFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node as the oracle for the documented frame formats: a Node peer ({@code message/peer.js},
 * built-ins only) that follows only the Javadoc byte diagrams talks length-prefixed frames, lines
 * and the request envelope with jnet, Node server with jnet client and Node client with jnet
 * server.
 */
class TcpFramingNodeIT extends FramingSupport {
  private final List<Process> processes = new ArrayList<>();

  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  @BeforeAll
  static void nodeIsInstalled() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      Assumptions.assumeTrue(
          p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "node is not installed");
    } catch (IOException | InterruptedException e) {
      Assumptions.abort("node is not installed: " + e);
    }
  }

  private Process node(String... args) throws Exception {
    Path script = Path.of(getClass().getResource("/message/peer.js").toURI());
    List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    closeLater(
        () -> {
          p.getOutputStream().close();
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        });
    return p;
  }

  private static String firstLine(Process p) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return String.valueOf(r.readLine());
              } catch (IOException e) {
                return "read failed: " + e;
              }
            })
        .get(20, TimeUnit.SECONDS);
  }

  private MessageSocket clientOfNodeServer(String format, FramingInbox<String> inbox)
      throws Exception {
    String line = firstLine(node("server", format));
    assertThat(line).startsWith("PORT ");
    Endpoint ep = new Endpoint.Tcp("127.0.0.1", Integer.parseInt(line.substring(5).trim()));
    Framing f = format.equals("lp") ? Framing.lengthPrefixed() : Framing.lines();
    MessageSocket s = MessageSocket.wrap(connect(ep, SocketOptions.defaults()), f);
    s.onMessage(m -> inbox.accept(utf8(m)));
    return s;
  }

  private String runNodeClient(MessageServer server, String format) throws Exception {
    int port = ((Endpoint.Tcp) server.server().address().orElseThrow()).port();
    Process p = node("client", format, Integer.toString(port));
    String out = firstLine(p);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("node client exited").isTrue();
    assertThat(p.exitValue()).as("node client exit code; it printed: " + out).isZero();
    return out;
  }

  @Test
  void aJnetClientExchangesLengthPrefixedFramesWithANodeServer() throws Exception {
    FramingInbox<String> inbox = FramingInbox.text();
    MessageSocket s = clientOfNodeServer("lp", inbox);
    String big = "y".repeat(100_000);
    for (String m : new String[] {"", "héllo", big}) {
      s.send(m);
    }
    assertThat(inbox.take(4))
        .containsExactly("hello from node", "node:", "node:héllo", "node:" + big);
  }

  @Test
  void aJnetClientExchangesLinesWithANodeServer() throws Exception {
    FramingInbox<String> inbox = FramingInbox.text();
    MessageSocket s = clientOfNodeServer("lines", inbox);
    s.send("{\"x\":1}");
    s.send("[1,\"ü\"]");
    assertThat(inbox.take(3))
        .containsExactly(
            "{\"hello\":\"from node\"}", "{\"node\":{\"x\":1}}", "{\"node\":[1,\"ü\"]}");
  }

  @Test
  void aNodeClientExchangesLengthPrefixedFramesWithAJnetServer() throws Exception {
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s -> s.onMessage(m -> s.send("java:" + utf8(m))));
    assertThat(runNodeClient(server, "lp")).isEqualTo("OK 5");
  }

  @Test
  void aNodeClientExchangesCrlfLinesWithAJnetServer() throws Exception {
    MessageServer server =
        messageServer(
            Framing.lines(),
            new FramingInbox<>(),
            s -> s.onMessage(m -> s.send("{\"java\":" + utf8(m) + "}")));
    assertThat(runNodeClient(server, "lines")).isEqualTo("OK 3");
  }

  @Test
  void aNodeClientMakesEnvelopeRequestsToAJnetMessenger() throws Exception {
    MessageServer server =
        messageServer(
            Framing.lengthPrefixed(),
            new FramingInbox<>(),
            s -> {
              Messenger m = Messenger.of(s);
              m.onRequest(
                  (body, reply) -> {
                    String b = utf8(body);
                    if (b.equals("fail")) {
                      reply.reject("no: fail");
                    } else {
                      reply.resolve(bytes("pong:" + b));
                    }
                  });
              m.onMessage(note -> m.send(bytes("seen:" + utf8(note))));
            });
    assertThat(runNodeClient(server, "rpc")).isEqualTo("OK 4");
  }
}
