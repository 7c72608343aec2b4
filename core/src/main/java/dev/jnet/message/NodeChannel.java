package dev.jnet.message;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * The child's end of Node's IPC channel: a Java program started by Node with an {@code 'ipc'} stdio
 * entry and {@code serialization: 'json'} exchanges messages with the parent's {@code child.send()}
 * and {@code child.on('message')}.
 *
 * <pre>{@code
 * // parent.js
 * const child = spawn('java', ['-cp', cp, 'app.Main'],
 *     { stdio: ['ipc', 'inherit', 'inherit'], serialization: 'json' });
 * child.on('message', m => console.log('from Java', m));
 * child.send({ hello: 'java' });
 *
 * // app/Main.java
 * MessageSocket parent = NodeChannel.open();
 * parent.onMessage(m -> parent.send("{\"echo\":" + UTF_8.decode(m) + "}"));
 * }</pre>
 *
 * <h2>Wire format</h2>
 *
 * Node's JSON serialization is {@link LineFraming lines}: one JSON text per line, both ways. Each
 * message this channel delivers is the UTF-8 bytes of one JSON text; each message sent must be one
 * JSON text on one line. Sending an empty message, or one holding a line feed (pretty-printed
 * JSON), throws {@code IllegalArgumentException}, because the Node parent throws on them. Node's
 * own control messages (a {@code cmd} starting with {@code NODE_}) are not delivered. The parent's
 * {@code disconnect()} arrives as {@code end}; this side's {@link MessageSocket#end()} disconnects
 * the parent's channel.
 *
 * <h2>Limitations</h2>
 *
 * <ul>
 *   <li>The channel must be the child's file descriptor 0 ({@code stdio: ['ipc', ...]}, so {@code
 *       NODE_CHANNEL_FD=0}): Java 17 turns an inherited socket into a channel only there ({@link
 *       System#inheritedChannel()}), without native code. Any other descriptor (as {@code
 *       child_process.fork}'s default {@code 3}) is refused with a message that says this. stdin is
 *       then the channel, not a stream.
 *   <li>The channel runs on its own reader thread, outside jnet's I/O engine; {@link
 *       MessageSocket#send} writes on the calling thread and may block while the parent's buffer is
 *       full (it always returns true, so there is no {@code drain}). {@link MessageSocket#socket()}
 *       is empty. No handle passing; {@code advanced} serialization is not supported.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * Events of the channel arrive in order, one at a time, on its reader thread, never under a jnet
 * lock; listeners must not block. Every method may be called from any thread. The reader thread
 * keeps the JVM alive until the channel closes, as an IPC channel keeps a Node child alive.
 */
public final class NodeChannel {
  private NodeChannel() {}

  /**
   * Tells whether this process was started by Node with an IPC channel.
   *
   * @return true if {@code NODE_CHANNEL_FD} is set
   */
  public static boolean isAvailable() {
    return System.getenv("NODE_CHANNEL_FD") != null;
  }

  /**
   * Opens the channel to the Node parent; call it once.
   *
   * @return the channel, as a message socket
   * @throws IllegalStateException if there is no channel, it is not on fd 0, or it does not use
   *     JSON serialization
   * @throws IOException if the inherited channel cannot be opened
   */
  public static MessageSocket open() throws IOException {
    return open(System.getenv());
  }

  static MessageSocket open(Map<String, String> env) throws IOException {
    String fd = env.get("NODE_CHANNEL_FD");
    if (fd == null) {
      throw new IllegalStateException(
          "NODE_CHANNEL_FD is not set: this process was not started by Node with an 'ipc'"
              + " stdio entry");
    }
    String mode = env.getOrDefault("NODE_CHANNEL_SERIALIZATION_MODE", "json");
    if (!mode.equals("json")) {
      throw new IllegalStateException(
          "NODE_CHANNEL_SERIALIZATION_MODE="
              + mode
              + ": only serialization 'json' is"
              + " supported");
    }
    if (!fd.trim().equals("0")) {
      throw new IllegalStateException(
          "NODE_CHANNEL_FD="
              + fd
              + ": jnet opens the Node channel on fd 0 only; start"
              + " the child with stdio: ['ipc', 'inherit', 'inherit'] (Java 17 cannot wrap another inherited socket"
              + " without native code)");
    }
    Channel inherited = System.inheritedChannel();
    if (!(inherited instanceof SocketChannel sc)) {
      throw new IllegalStateException(
          "fd 0 is not a socket (" + inherited + "); NODE_CHANNEL_FD=0 should be one");
    }
    NodeChannelSocket s =
        new NodeChannelSocket(sc, LineFraming.of(Framing.DEFAULT_MAX_FRAME_LENGTH));
    s.start();
    return s;
  }
}
