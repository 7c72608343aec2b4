package dev.jnet.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Java child of a Node parent (see {@code message/node-parent.js}): says it is ready, echoes
 * every message with a count, and exits when the parent disconnects.
 */
public final class NodeChildExample {
  private NodeChildExample() {}

  /**
   * Runs the child.
   *
   * @param args unused
   * @throws IOException if the channel cannot be opened
   */
  public static void main(String[] args) throws IOException {
    // readme:start (the README's Node example shows this)
    MessageSocket parent = NodeChannel.open();
    int[] count = {0};
    parent.onMessage(
        m -> {
          String json = StandardCharsets.UTF_8.decode(m).toString();
          parent.send("{\"echo\":" + json + ",\"count\":" + ++count[0] + "}");
        });
    parent.onClose(hadError -> System.exit(hadError ? 1 : 0));
    parent.send("{\"ready\":true,\"pid\":" + ProcessHandle.current().pid() + "}");
    // readme:end
  }
}
