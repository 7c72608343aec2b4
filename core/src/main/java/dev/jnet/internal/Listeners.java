package dev.jnet.internal;

import dev.jnet.Registration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The listeners of one event: a copy-on-write array, so delivery on the I/O thread takes no lock, and an empty
 * set costs one shared empty array (a socket has nine of these; most stay empty). Registration and removal may
 * happen on any thread; they are rare and synchronized.
 *
 * @param <T> the listener type
 */
final class Listeners<T> {
  private static final Object[] NONE = new Object[0];
  private volatile Object[] items = NONE;

  synchronized Registration add(T listener) {
    Object[] a = Arrays.copyOf(items, items.length + 1);
    a[a.length - 1] = listener;
    items = a;
    return () -> remove(listener);
  }

  private synchronized void remove(T listener) {
    Object[] a = items;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == listener) {
        Object[] b = new Object[a.length - 1];
        System.arraycopy(a, 0, b, 0, i);
        System.arraycopy(a, i + 1, b, i, a.length - i - 1);
        items = b.length == 0 ? NONE : b;
        return;
      }
    }
  }

  boolean isEmpty() {
    return items.length == 0;
  }

  @SuppressWarnings("unchecked")
  void forEach(Consumer<T> call) {
    for (Object l : items) {
      call.accept((T) l);
    }
  }

  void clear() {
    items = NONE;
  }
}
