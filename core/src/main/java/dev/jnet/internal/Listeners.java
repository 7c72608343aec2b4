package dev.jnet.internal;

import dev.jnet.Registration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one event. Registration and removal may happen on any thread; delivery happens on the I/O
 * thread.
 *
 * @param <T> the listener type
 */
final class Listeners<T> {
  private final CopyOnWriteArrayList<T> list = new CopyOnWriteArrayList<>();

  Registration add(T listener) {
    list.add(listener);
    return () -> list.remove(listener);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  void forEach(Consumer<T> call) {
    for (T l : list) {
      call.accept(l);
    }
  }

  void clear() {
    list.clear();
  }
}
