package dev.jnet.internal;

import dev.jnet.NetException;
import dev.jnet.Socket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code connected()} and {@code closed()} futures of one {@link DefaultSocket}, created only
 * when someone asks. Each outcome is written before its future is read, and each future before its
 * outcome is read, so whichever of the loop and the asking thread comes second completes it.
 *
 * <p>Threads: the outcomes are written on the socket's loop; the futures may be asked for on any
 * thread.
 */
final class SocketFutures {
  private static final VarHandle CONNECTED;
  private static final VarHandle CLOSED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CONNECTED = l.findVarHandle(SocketFutures.class, "connected", CompletableFuture.class);
      CLOSED = l.findVarHandle(SocketFutures.class, "closed", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Socket socket;
  // The outcome of connecting: null while connecting, then the socket or the NetException it
  // failed with.
  private volatile Object connectOutcome;
  private volatile Boolean closeOutcome; // null until close was emitted, then hadError
  private volatile CompletableFuture<Socket> connected; // CONNECTED
  private volatile CompletableFuture<Boolean> closed; // CLOSED

  SocketFutures(Socket socket) {
    this.socket = socket;
  }

  CompletionStage<Socket> connected() {
    CompletableFuture<Socket> f = connected;
    if (f == null) {
      CONNECTED.compareAndSet(this, null, new CompletableFuture<Socket>());
      f = connected;
      Object outcome = connectOutcome;
      if (outcome != null) {
        settle(f, outcome);
      }
    }
    return f.minimalCompletionStage();
  }

  /** Settles {@code connected()}: the socket connected, or failed with {@code e} (loop). */
  void connectSettled(NetException e) {
    Object outcome = e != null ? e : socket;
    connectOutcome = outcome;
    CompletableFuture<Socket> f = connected;
    if (f != null) {
      settle(f, outcome);
    }
  }

  private void settle(CompletableFuture<Socket> f, Object outcome) {
    if (outcome instanceof NetException e) {
      f.completeExceptionally(e);
    } else {
      f.complete(socket);
    }
  }

  CompletionStage<Boolean> closed() {
    CompletableFuture<Boolean> f = closed;
    if (f == null) {
      CLOSED.compareAndSet(this, null, new CompletableFuture<Boolean>());
      f = closed;
      Boolean outcome = closeOutcome;
      if (outcome != null) {
        f.complete(outcome);
      }
    }
    return f.minimalCompletionStage();
  }

  /** Settles {@code closed()} once the close listeners ran (loop). */
  void closeSettled(boolean hadError) {
    closeOutcome = hadError;
    CompletableFuture<Boolean> f = closed;
    if (f != null) {
      f.complete(hadError);
    }
  }
}
