package dev.jnet.ipc.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.SocketOptions;
import dev.jnet.ipc.UnixFixture;
import dev.jnet.message.Framing;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import dev.jnet.testkit.FramingInbox;
import dev.jnet.testkit.FramingSupport;
import dev.jnet.testkit.TransportFixture;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node as the oracle for the documented frame formats over a Unix socket path: a Node peer ({@code
 * message/unix-peer.js}, built-ins only) written from the Javadoc byte diagrams answers every
 * message with its bytes reversed. Node server with jnet client and Node client with jnet server,
 * length-prefixed and lines; the payloads cover every byte value, empty messages and frames larger
 * than a socket read, and are checked byte for byte on both sides, together with a digest of the
 * exact bytes Node received.
 */
class UnixFramingNodeIT extends FramingSupport {
  private static final HexFormat HEX = HexFormat.of();

  private static final List<byte[]> LP_PAYLOADS =
      List.of(
          new byte[0], everyByte(false), utf8("héllo"), new byte[0], pattern(70_000), new byte[0]);

  private static final List<byte[]> LINE_PAYLOADS =
      List.of(
          everyByte(true),
          utf8("{\"a\":[1,\"ü\"]}"),
          new byte[0],
          utf8("x".repeat(10_000) + "\ry"));

  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }

  @BeforeAll
  static void nodeIsInstalled() {
    Assumptions.assumeTrue(UnixNodePeer.isInstalled(), "node is not installed");
  }

  @Test
  void aJnetClientExchangesLengthPrefixedFramesWithANodeServer() throws Exception {
    jnetClientWithNodeServer("lp", Framing.lengthPrefixed(), LP_PAYLOADS);
  }

  @Test
  void aJnetClientExchangesLinesWithANodeServer() throws Exception {
    jnetClientWithNodeServer("lines", Framing.lines(), LINE_PAYLOADS);
  }

  @Test
  void aNodeClientExchangesLengthPrefixedFramesWithAJnetServer() throws Exception {
    nodeClientWithJnetServer("lp", Framing.lengthPrefixed(), LP_PAYLOADS);
  }

  @Test
  void aNodeClientExchangesCrlfLinesWithAJnetServer() throws Exception {
    nodeClientWithJnetServer("lines", Framing.lines(), LINE_PAYLOADS);
  }

  private void jnetClientWithNodeServer(String format, Framing framing, List<byte[]> payloads)
      throws Exception {
    Path path = UnixFixture.freshPath();
    UnixNodePeer node = closeLater(UnixNodePeer.start("server", format, path));
    assertThat(node.nextLine()).isEqualTo("READY");
    FramingInbox<byte[]> replies = new FramingInbox<>();
    MessageSocket s =
        MessageSocket.wrap(
            connect(new Endpoint.Unix(path.toString(), false), SocketOptions.defaults()), framing);
    s.onMessage(m -> replies.accept(array(m)));
    payloads.forEach(p -> s.send(ByteBuffer.wrap(p)));

    List<byte[]> got = replies.take(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(got.get(i)).as("reply %d", i).isEqualTo(reversed(payloads.get(i)));
    }
    s.end();
    for (byte[] p : payloads) {
      assertThat(node.nextLine()).isEqualTo("MSG " + HEX.formatHex(p));
    }
    assertThat(node.nextLine()).as("the bytes Node received").isEqualTo(wire(framing, payloads));
  }

  private void nodeClientWithJnetServer(String format, Framing framing, List<byte[]> payloads)
      throws Exception {
    FramingInbox<byte[]> received = new FramingInbox<>();
    MessageServer server =
        messageServer(
            framing,
            new FramingInbox<>(),
            s ->
                s.onMessage(
                    m -> {
                      byte[] b = array(m);
                      received.accept(b);
                      s.send(ByteBuffer.wrap(reversed(b)));
                    }));
    Endpoint.Unix at = (Endpoint.Unix) server.server().address().orElseThrow();
    UnixNodePeer node = closeLater(UnixNodePeer.start("client", format, Path.of(at.path())));
    StringBuilder input = new StringBuilder();
    payloads.forEach(p -> input.append("P ").append(HEX.formatHex(p)).append('\n'));
    node.input(input.toString());

    assertThat(node.nextLine())
        .as("the bytes Node received")
        .isEqualTo(wire(framing, payloads.stream().map(UnixFramingNodeIT::reversed).toList()));
    assertThat(node.nextLine()).isEqualTo("OK " + payloads.size());
    List<byte[]> got = received.take(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(got.get(i)).as("message %d", i).isEqualTo(payloads.get(i));
    }
    assertThat(node.awaitExit()).isZero();
  }

  /**
   * What Node prints for the bytes it received: their count and SHA-256, as jnet's framing encodes
   * them.
   */
  private static String wire(Framing framing, List<byte[]> payloads) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : payloads) {
      out.write(array(framing.encode(ByteBuffer.wrap(p))));
    }
    byte[] bytes = out.toByteArray();
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
    return "WIRE " + bytes.length + " " + HEX.formatHex(sha);
  }

  private static byte[] array(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static byte[] reversed(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes 0x00 to 0xFF in order; for lines without the line feed. */
  private static byte[] everyByte(boolean forLines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 256; i++) {
      if (!forLines || i != '\n') {
        out.write(i);
      }
    }
    return out.toByteArray();
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 131 + 7);
    }
    return b;
  }
}
