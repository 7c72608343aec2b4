package dev.jnet.internal;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.Registration;
import dev.jnet.spi.Log;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * The events of one {@link DefaultSocket}: its listeners, how they are added (a one-time event that
 * already happened is replayed on a later turn, never inside the registering call) and how they are
 * called (under no lock; a listener that throws an {@link Error} destroys the socket).
 *
 * <p>Threads: listeners are called only on the socket's loop; {@link #register} may be called from
 * any thread and hops to the loop when called elsewhere.
 */
final class SocketEvents {
  static final Listeners.Event<Runnable> CONNECT = new Listeners.Event<>("connect");
  static final Listeners.Event<Runnable> READY = new Listeners.Event<>("ready");
  static final Listeners.Event<Runnable> SECURE_CONNECT = new Listeners.Event<>("secureConnect");
  static final Listeners.Event<Consumer<ByteBuffer>> DATA = new Listeners.Event<>("data");
  static final Listeners.Event<Consumer<String>> TEXT = new Listeners.Event<>("text");
  static final Listeners.Event<Runnable> END = new Listeners.Event<>("end");
  static final Listeners.Event<Runnable> DRAIN = new Listeners.Event<>("drain");
  static final Listeners.Event<Runnable> TIMEOUT = new Listeners.Event<>("timeout");
  static final Listeners.Event<Consumer<NetException>> ERROR = new Listeners.Event<>("error");
  static final Listeners.Event<Consumer<Boolean>> CLOSE = new Listeners.Event<>("close");

  private final DefaultSocket socket;
  private final Listeners listeners = new Listeners();

  SocketEvents(DefaultSocket socket) {
    this.socket = socket;
  }

  boolean has(Listeners.Event<?> event) {
    return !listeners.isEmpty(event);
  }

  /** Hands every listener of an event to {@code call}, which must call it {@link #safely}. */
  <T> void forEach(Listeners.Event<T> event, Consumer<? super T> call) {
    listeners.forEach(event, call);
  }

  /** Calls every listener of an event without argument. Loop only. */
  void emit(Listeners.Event<Runnable> event) {
    listeners.forEach(event, this::safely);
  }

  /** Calls every listener of an event with one value. Loop only. */
  <T> void emit(Listeners.Event<Consumer<T>> event, T value) {
    listeners.forEach(event, l -> safely(() -> l.accept(value)));
  }

  /**
   * Adds a listener on the loop; if its one-time event already happened, replays it there.
   *
   * @param happened whether the event happened (read on the loop)
   * @param replay what a late listener gets, or null for an event that is never replayed
   */
  <T> Registration register(
      Listeners.Event<T> event, T listener, BooleanSupplier happened, Runnable replay) {
    Objects.requireNonNull(listener, "listener");
    EventLoop loop = socket.loop;
    if (loop.inEventLoop()) { // a connection listener's usual case: no bookkeeping for a late add
      Registration r = listeners.add(event, listener);
      if (replay != null && happened.getAsBoolean()) {
        loop.execute(() -> safely(replay)); // never inside the registering call
      }
      return () -> socket.run(r::close);
    }
    AtomicBoolean removed = new AtomicBoolean();
    Registration[] reg = new Registration[1];
    socket.run(
        () -> {
          if (removed.get()) {
            return;
          }
          reg[0] = listeners.add(event, listener);
          if (replay != null && happened.getAsBoolean()) {
            safely(replay);
          }
        });
    return () -> {
      removed.set(true);
      socket.run(
          () -> {
            if (reg[0] != null) {
              reg[0].close();
            }
          });
    };
  }

  /**
   * Runs a listener. An exception is logged and the socket carries on (Node would end the process);
   * an {@link Error} (out of memory, stack overflow) leaves the connection in an unknown state, so
   * it destroys the socket with an error event: never swallowed.
   */
  void safely(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      Log.get().log(Level.WARNING, "a jnet socket listener threw; the socket carries on", e);
    } catch (Error e) {
      Log.get()
          .log(Level.SEVERE, "a jnet socket listener threw " + e + "; the socket is destroyed", e);
      socket.life.destroyInternal(listenerError(e));
    }
  }

  /** The error a socket is destroyed with when one of its listeners threw an {@link Error}. */
  static NetException listenerError(Error e) {
    ErrorCode code =
        e instanceof OutOfMemoryError ? ErrorCode.ENOMEM : ErrorCode.ERR_UNHANDLED_ERROR;
    return NetException.of(code, "", "", e);
  }
}
