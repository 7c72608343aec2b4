package dev.jnet.cli.serve;

import dev.jnet.Server;
import dev.jnet.Socket;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.system.Signals;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one stop and shutdown path of every command that serves until told to stop ({@code echo},
 * {@code listen}, {@code relay}): SIGINT or SIGTERM (or the command itself) stops the loop; the
 * shutdown stops accepting, destroys the open connections, and waits up to {@link Signals#GRACE}
 * for the server to close; the exit code is 130 after SIGINT and 0 otherwise.
 *
 * <p>Threading: {@link #stop} may be called from any thread (signal handlers call it); the rest
 * runs on the command's thread.
 */
public final class ServeLoop {
  private final CompletableFuture<String> stop = new CompletableFuture<>();

  private ServeLoop() {}

  /**
   * Returns a loop that SIGINT and SIGTERM stop.
   *
   * @return the loop
   */
  public static ServeLoop onSignals() {
    ServeLoop loop = new ServeLoop();
    Signals.handle("INT", () -> loop.stop("SIGINT"));
    Signals.handle("TERM", () -> loop.stop("SIGTERM"));
    return loop;
  }

  /**
   * Stops the loop, if it is still running.
   *
   * @param reason {@code SIGINT}, {@code SIGTERM}, or the command's own reason
   */
  public void stop(String reason) {
    stop.complete(reason);
  }

  /**
   * Returns the stop, to wait for it together with something else.
   *
   * @return completes with the reason
   */
  public CompletableFuture<String> stopped() {
    return stop;
  }

  /**
   * Waits until the loop is stopped.
   *
   * @return the reason
   * @throws InterruptedException if interrupted
   */
  public String awaitStop() throws InterruptedException {
    try {
      return stop.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the stop never fails", e);
    }
  }

  /**
   * Stops accepting, destroys the open connections, and waits (briefly) for the server to close.
   *
   * @param server the server, or null when the command serves no listener
   * @param open the connections still open
   * @throws InterruptedException if interrupted while waiting
   */
  public static void shutDown(Server server, Collection<? extends Socket> open)
      throws InterruptedException {
    CompletableFuture<Void> closed =
        server == null
            ? CompletableFuture.completedFuture(null)
            : server.close().toCompletableFuture();
    List.copyOf(open).forEach(Socket::destroy);
    try {
      closed.get(Signals.GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // exiting anyway: the process is going away
    }
  }

  /**
   * Returns the exit code for a stop.
   *
   * @param reason the stop's reason
   * @return 130 after SIGINT, else 0
   */
  public static int exitCode(String reason) {
    return reason.equals("SIGINT") ? ExitCodes.INTERRUPTED : ExitCodes.OK;
  }
}
