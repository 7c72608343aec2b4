package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.NetException;
import dev.jnet.Server;
import dev.jnet.ipc.internal.UnixTransport;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A zero-downtime restart: a running server passes its listening socket to a new process over a
 * Unix socket ({@link DescriptorChannel}), the new process listens on it ({@code fd:N}) and
 * confirms, and only then does the old process close its server. The kernel keeps one listening
 * socket throughout, so no connection attempt is refused; connections queued but not yet accepted
 * go to whichever process accepts next, and the old process finishes the connections it already
 * has.
 *
 * <pre>{@code
 * // old process
 * Handover.offer(server, ctl, Duration.ofSeconds(30)).thenRun(server::close);
 * // new process
 * try (Handover.Taken t = Handover.take(ctl, Duration.ofSeconds(5))) {
 *   newServer.listen(t.endpoint()).toCompletableFuture().join();
 *   t.confirm();
 * }
 * }</pre>
 *
 * <p>Limits: the epoll engine only. A listener on a Unix path keeps its socket file: once the new
 * process confirms, the old server gives up its claim on the file, so closing it (or exiting) no
 * longer removes it; the new process serves the path but, having inherited it, does not remove the
 * file when it closes either, and its {@code server.address()} shows the name the kernel knows: the
 * path itself (or, where {@code /proc/self/fd} is missing, the staging name jnet bound it under
 * before linking it into place).
 *
 * <p>Threading: the static methods may be called from any thread; {@link #offer} waits on a thread
 * of its own and completes its stage there; a {@link Taken} is used by one thread.
 */
public final class Handover {
  private static final String OFFER = "jnet-handover 1\n";
  private static final String CONFIRM = "taken\n";

  private Handover() {}

  /**
   * Waits, on a thread of its own, for one new process at {@code rendezvous}, passes it the
   * server's listening socket, and completes once that process confirms it listens.
   *
   * @param server the listening server (epoll engine)
   * @param rendezvous the Unix socket the new process connects to (a path that does not exist yet,
   *     or a name)
   * @param timeout how long to wait for the new process, and then for its confirmation
   * @return a stage that completes once the new process listens; close the server then
   * @throws NetException {@code ENOTSUP} if the server's socket cannot be passed (NIO, not
   *     listening)
   */
  public static CompletionStage<Void> offer(
      Server server, Endpoint.Unix rendezvous, Duration timeout) throws NetException {
    FileDescriptor listener = DescriptorChannel.listenerOf(server);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (DescriptorChannel c = DescriptorChannel.acceptOne(rendezvous, timeout)) {
                c.send(ByteBuffer.wrap(OFFER.getBytes(StandardCharsets.US_ASCII)), listener);
                String reply = new String(c.receive(64, timeout).data(), StandardCharsets.US_ASCII);
                if (!reply.equals(CONFIRM)) {
                  throw new IOException(
                      "the new process did not confirm the handover (got '" + reply.strip() + "')");
                }
                if (server.address().orElse(null) instanceof Endpoint.Unix u && !u.isAbstract()) {
                  UnixTransport.disownSocketFile(
                      Path.of(u.path())); // the socket file now belongs to the new process
                }
                done.complete(null);
              } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            "jnet-handover");
    t.setDaemon(true);
    t.start();
    return done;
  }

  /**
   * Connects to a running server's {@link #offer} and receives its listening socket.
   *
   * @param rendezvous where the old process offers
   * @param timeout how long to wait for the socket
   * @return the taken socket, as an {@code fd:N} endpoint to listen on
   * @throws IOException if nothing is offered there, or the offer is malformed
   */
  public static Taken take(Endpoint.Unix rendezvous, Duration timeout) throws IOException {
    DescriptorChannel c = DescriptorChannel.connect(rendezvous);
    try {
      DescriptorChannel.Received r = c.receive(64, timeout);
      String text = new String(r.data(), StandardCharsets.US_ASCII);
      if (!text.equals(OFFER) || r.descriptors().size() != 1) {
        throw new IOException(
            "not a jnet handover offer at "
                + rendezvous
                + ": '"
                + text.strip()
                + "' with "
                + r.descriptors().size()
                + " descriptor(s)");
      }
      return new Taken(new Endpoint.Fd(DescriptorChannel.number(r.descriptors().get(0))), c);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * A listening socket received from an old process: listen on {@link #endpoint()}, then {@link
   * #confirm()}.
   *
   * <p>Threading: used by one thread.
   */
  public static final class Taken implements Closeable {
    private final Endpoint.Fd endpoint;
    private final DescriptorChannel channel;

    private Taken(Endpoint.Fd endpoint, DescriptorChannel channel) {
      this.endpoint = endpoint;
      this.channel = channel;
    }

    /**
     * Returns the received listening socket.
     *
     * @return the {@code fd:N} endpoint
     */
    public Endpoint.Fd endpoint() {
      return endpoint;
    }

    /**
     * Tells the old process that this one listens, so that it may close its server.
     *
     * @throws IOException if the old process is gone
     */
    public void confirm() throws IOException {
      channel.send(ByteBuffer.wrap(CONFIRM.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
