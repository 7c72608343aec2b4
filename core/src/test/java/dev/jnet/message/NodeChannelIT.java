package dev.jnet.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real Node parent starts a Java child and exchanges messages both ways over its IPC channel. */
class NodeChannelIT {

  @Test
  void aNodeParentAndItsJavaChildExchangeMessagesBothWaysUntilDisconnect() throws Exception {
    Path script = Path.of(getClass().getResource("/message/node-parent.js").toURI());
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        Path.of("target", "classes").toAbsolutePath()
            + java.io.File.pathSeparator
            + Path.of("target", "test-classes").toAbsolutePath();
    Process p;
    try {
      p =
          new ProcessBuilder("node", script.toString(), javaBin, cp)
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      Assumptions.abort("node is not installed: " + e);
      return;
    }
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node parent finished").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(out).isEqualTo("OK");
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aChannelOnAnotherDescriptorIsRefusedWithTheReason() {
    assertThatThrownBy(() -> NodeChannel.open(Map.of("NODE_CHANNEL_FD", "3")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fd 0 only")
        .hasMessageContaining("stdio: ['ipc'");
    assertThatThrownBy(() -> NodeChannel.open(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NODE_CHANNEL_FD is not set");
    assertThatThrownBy(
            () ->
                NodeChannel.open(
                    Map.of("NODE_CHANNEL_FD", "0", "NODE_CHANNEL_SERIALIZATION_MODE", "advanced")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only serialization 'json'");
  }

  @Test
  void nodesOwnControlMessagesAreRecognised() {
    assertThat(
            NodeChannelSocket.isNodeInternal(
                ByteBuffer.wrap("{\"cmd\":\"NODE_HANDLE_ACK\"}".getBytes(StandardCharsets.UTF_8))))
        .isTrue();
    assertThat(
            NodeChannelSocket.isNodeInternal(
                ByteBuffer.wrap("{\"cmd\":\"USER\"}".getBytes(StandardCharsets.UTF_8))))
        .isFalse();
  }
}
