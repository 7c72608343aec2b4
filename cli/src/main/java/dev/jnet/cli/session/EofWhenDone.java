package dev.jnet.cli.session;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.CompletableFuture;

/**
 * An input with nothing to send: its one read blocks until {@code done} completes (the peer ended
 * its side, or the socket closed), then reports EOF, so an end that only receives half-closes after
 * its peer did. Closing it completes {@code done}.
 */
public final class EofWhenDone implements ReadableByteChannel {
  private final CompletableFuture<Void> done;

  public EofWhenDone(CompletableFuture<Void> done) {
    this.done = done;
  }

  @Override
  public int read(ByteBuffer dst) {
    done.join();
    return -1;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {
    done.complete(null);
  }
}
