package dev.jnet.testkit;

import static dev.jnet.testkit.FramingInbox.bytes;
import static dev.jnet.testkit.FramingInbox.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.SocketOptions;
import dev.jnet.message.Framing;
import dev.jnet.message.LengthPrefixedFraming;
import dev.jnet.message.LineFraming;
import dev.jnet.message.MessageServer;
import dev.jnet.message.MessageSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Framing over a real transport: whole messages both ways whatever the chunking, the limits (too
 * large, truncated) closing only the offending connection, and the socket's backpressure on {@code
 * send}. Foreign (plain-JDK or junixsocket) peers write the documented bytes by hand.
 */
public abstract class FramingContract extends FramingSupport {

  private static byte[] frames(Framing f, String... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String m : messages) {
      ByteBuffer b = f.encode(bytes(m));
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
    return out.toByteArray();
  }

  @Test
  void lengthPrefixedMessagesOfEverySizeRoundTripWholeAndInOrder() {
    Framing lp = Framing.lengthPrefixed();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lp, accepted, s -> s.onMessage(s::send));
    MessageSocket client = messageClient(server, lp);
    FramingInbox<String> echoed = FramingInbox.text();
    client.onMessage(m -> echoed.accept(utf8(m)));
    List<String> sent = new ArrayList<>();
    for (int size : new int[] {0, 1, 3, 100, 0, 65_536, 1 << 20, 0}) {
      sent.add("x".repeat(size));
      client.send(sent.get(sent.size() - 1));
    }
    assertThat(echoed.take(sent.size())).isEqualTo(sent);
  }

  @Test
  void framesWrittenOneByteAtATimeArriveWholeWithEmptyFramesAtStartMiddleAndEnd() throws Exception {
    Framing lp = Framing.lengthPrefixed();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lp, accepted, s -> {});
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.server().address().orElseThrow()));
    String[] messages = {"", "héllo", "", "", "wörld", ""};
    for (byte b : frames(lp, messages)) {
      peer.write(new byte[] {b});
    }
    assertThat(accepted.take().messages().take(messages.length)).containsExactly(messages);
  }

  @Test
  void linesFromAForeignPeerAcceptCrlfAndRepliesEndWithABareLineFeed() throws Exception {
    Framing lines = Framing.lines();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server =
        messageServer(lines, accepted, s -> s.onMessage(m -> s.send("got " + utf8(m))));
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.server().address().orElseThrow()));
    byte[] in = "{\"a\":1}\r\n\n{\"b\":2}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte b : in) {
      peer.write(new byte[] {b});
    }
    Conn c = accepted.take();
    assertThat(c.messages().take(3)).containsExactly("{\"a\":1}", "", "{\"b\":2}");
    String expect = "got {\"a\":1}\ngot \ngot {\"b\":2}\n";
    assertThat(
            new String(
                peer.readExactly(expect.length(), WAIT), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(expect);
  }

  @Test
  void aLengthAboveTheLimitClosesThatConnectionWithFrameTooLargeAndTheServerServesOthers()
      throws Exception {
    Framing lp = LengthPrefixedFraming.of(1024);
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lp, accepted, s -> s.onMessage(s::send));
    ForeignConnection bad =
        closeLater(fixture().foreign().connect(server.server().address().orElseThrow()));
    bad.write(frames(lp, "fine"));
    bad.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
    Conn c = accepted.take();
    assertThat(c.messages().take()).isEqualTo("fine");
    assertThat(c.events().take(2)).containsExactly("error:ERR_FRAME_TOO_LARGE", "close:true");
    c.messages().assertNothingWithin(Duration.ofMillis(50));

    MessageSocket good = messageClient(server, lp);
    FramingInbox<String> echoed = FramingInbox.text();
    good.onMessage(m -> echoed.accept(utf8(m)));
    good.send("still serving");
    assertThat(echoed.take()).isEqualTo("still serving");
  }

  @Test
  void aLineLongerThanTheLimitClosesThatConnectionWithFrameTooLarge() throws Exception {
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(LineFraming.of(16), accepted, s -> {});
    ForeignConnection bad =
        closeLater(fixture().foreign().connect(server.server().address().orElseThrow()));
    bad.write("short\n".concat("y".repeat(40)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Conn c = accepted.take();
    assertThat(c.messages().take()).isEqualTo("short");
    assertThat(c.events().take(2)).containsExactly("error:ERR_FRAME_TOO_LARGE", "close:true");
  }

  @Test
  void aPeerThatEndsInsideAFrameGivesFrameTruncatedAndNoPartialMessage() throws Exception {
    Framing lp = Framing.lengthPrefixed();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lp, accepted, s -> {});
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.server().address().orElseThrow()));
    byte[] whole = frames(lp, "done", "unfinished");
    peer.write(java.util.Arrays.copyOf(whole, whole.length - 3));
    peer.shutdownOutput();
    Conn c = accepted.take();
    assertThat(c.messages().take()).isEqualTo("done");
    assertThat(c.events().take(2)).containsExactly("error:ERR_FRAME_TRUNCATED", "close:true");
    c.messages().assertNothingWithin(Duration.ofMillis(50));
  }

  @Test
  void aPeerThatEndsBetweenFramesEndsCleanly() throws Exception {
    Framing lines = Framing.lines();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lines, accepted, s -> {});
    ForeignConnection peer =
        closeLater(fixture().foreign().connect(server.server().address().orElseThrow()));
    peer.write(frames(lines, "a", "b"));
    peer.shutdownOutput();
    Conn c = accepted.take();
    assertThat(c.messages().take(2)).containsExactly("a", "b");
    assertThat(c.events().take(2)).containsExactly("end", "close:false");
  }

  @Test
  void sendReturnsFalseAboveTheHighWaterMarkAndDrainFollowsOnceThePeerReads() {
    Framing lp = Framing.lengthPrefixed();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lp, accepted, MessageSocket::pause);
    MessageSocket client =
        MessageSocket.wrap(
            connect(
                server.server().address().orElseThrow(),
                SocketOptions.defaults().withHighWaterMark(1024)),
            lp);
    FramingInbox<String> drained = FramingInbox.text();
    client.onDrain(() -> drained.accept("drain"));
    Conn c = accepted.take();
    String big = "z".repeat(8 * 1024 * 1024);
    boolean below = true;
    int sent = 0;
    while (below && sent < 16) {
      below = client.send(big);
      sent++;
    }
    assertThat(below).as("send returned false above the high-water mark").isFalse();
    c.socket().resume();
    assertThat(drained.take()).isEqualTo("drain");
    assertThat(c.messages().take(sent)).allSatisfy(m -> assertThat(m).hasSize(big.length()));
  }

  @Test
  void aServerConnectionSeesOnlyWholeMessagesWhenAJnetClientIsDestroyedMidStream() {
    Framing lp = Framing.lengthPrefixed();
    FramingInbox<Conn> accepted = new FramingInbox<>();
    MessageServer server = messageServer(lp, accepted, s -> {});
    MessageSocket client = messageClient(server, lp);
    client.send("first");
    Conn c = accepted.take();
    assertThat(c.messages().take()).isEqualTo("first");
    client.destroy(NetException.of(ErrorCode.ECANCELED));
    assertThat(c.events().take()).isIn("end", "error:ECONNRESET");
    c.messages().assertNothingWithin(Duration.ofMillis(50));
  }
}
