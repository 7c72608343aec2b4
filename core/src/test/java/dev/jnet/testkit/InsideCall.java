package dev.jnet.testkit;

import dev.jnet.Socket;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Marks the calls a test makes on a socket, so that {@link EventRecorder} can check Node's rule
 * that no event is ever emitted from inside a call the user is still in: {@code write} answers
 * through its callback and {@code error} comes later, {@code destroy(err)} emits {@code error}
 * later, {@code resume()} delivers buffered data later (Node defers all of them with {@code
 * process.nextTick}). Registering a listener is not such a call: jnet calls a listener of a
 * one-time event that already happened at once, on purpose.
 */
public final class InsideCall {
  private static final ThreadLocal<ArrayDeque<Entry>> CALLS =
      ThreadLocal.withInitial(ArrayDeque::new);

  private record Entry(Socket socket, String call) {}

  private InsideCall() {}

  /**
   * Runs a call on a socket, marked.
   *
   * @param socket the socket called
   * @param call the call's name, for the violation message
   * @param body the call
   */
  public static void run(Socket socket, String call, Runnable body) {
    get(
        socket,
        call,
        () -> {
          body.run();
          return null;
        });
  }

  /**
   * Runs a call on a socket that returns a value, marked.
   *
   * @param socket the socket called
   * @param call the call's name, for the violation message
   * @param body the call
   * @param <T> the value type
   * @return the call's value
   */
  public static <T> T get(Socket socket, String call, Supplier<T> body) {
    ArrayDeque<Entry> calls = CALLS.get();
    calls.push(new Entry(socket, call));
    try {
      return body.get();
    } finally {
      calls.pop();
    }
  }

  /**
   * Returns the call on the socket the current thread is inside, if any.
   *
   * @param socket the socket
   * @return the call's name, or null
   */
  static String current(Socket socket) {
    for (Entry e : CALLS.get()) {
      if (e.socket() == socket) {
        return e.call();
      }
    }
    return null;
  }
}
