package dev.jnet.cli.session;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Socket;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.concurrent.TimeUnit;

/**
 * {@code --exec CMD}: one child process per connection, run with {@code sh -c}. The socket's data
 * goes to the child's stdin, and the socket's end closes that stdin (the half-close passed on); the
 * child's stdout goes back to the socket, read to its end, which ends the socket's write side. Its
 * stderr is jnet's.
 */
public final class ExecBridge {
  private static final long EXIT_GRACE_SECONDS = 5;

  private ExecBridge() {}

  /**
   * Starts the child for an accepted socket, which must be paused (it is resumed here).
   *
   * @param socket the connection
   * @param command the shell command
   *     <p>If the shell cannot start, the socket is destroyed with {@code ENOENT}.
   */
  public static void start(Socket socket, String command) {
    Process child;
    try {
      child =
          new ProcessBuilder("sh", "-c", command)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      socket.destroy(NetException.of(ErrorCode.ENOENT, "exec", command, e));
      return;
    }
    StdoutSink toChild =
        StdoutSink.start(
            socket, Channels.newChannel(child.getOutputStream()), "the stdin of " + command);
    socket.onEnd(toChild::finish);
    socket.onClose(hadError -> toChild.finish());
    toChild.done().whenComplete((open, failure) -> closeStdin(child));
    StdinPump.start(
        socket, Channels.newChannel(child.getInputStream()), "the stdout of " + command, () -> {});
    socket.onClose(
        hadError ->
            child
                .onExit()
                .orTimeout(EXIT_GRACE_SECONDS, TimeUnit.SECONDS)
                .exceptionally(
                    timeout -> {
                      child.destroy();
                      return child;
                    }));
    socket.resume();
  }

  private static void closeStdin(Process child) {
    try {
      child.getOutputStream().close();
    } catch (IOException e) {
      // the child is gone already
    }
  }
}
