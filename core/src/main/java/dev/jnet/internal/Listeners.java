package dev.jnet.internal;

import dev.jnet.Registration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The listeners of every event of one socket or server, in one copy-on-write array of (event,
 * listener) pairs: delivery on the I/O thread takes no lock, and an object with no listener costs
 * this table and one shared empty array, however many events it has (a socket has nine; most stay
 * empty, and an idle server may hold many thousands of sockets). Registration and removal may
 * happen on any thread; they are rare and synchronized.
 *
 * <pre>
 * items: [ CLOSE, l1, ERROR, l2, CLOSE, l3 ]   forEach(CLOSE, f) calls f(l1), then f(l3)
 * </pre>
 */
final class Listeners {
  private static final Object[] NONE = new Object[0];
  private volatile Object[] items = NONE;

  /**
   * One event, and the type of its listeners.
   *
   * @param <T> the listener type
   */
  static final class Event<T> {
    private final String name;

    Event(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  synchronized <T> Registration add(Event<T> event, T listener) {
    Object[] a = Arrays.copyOf(items, items.length + 2);
    a[a.length - 2] = event;
    a[a.length - 1] = listener;
    items = a;
    return () -> remove(event, listener);
  }

  private synchronized void remove(Event<?> event, Object listener) {
    Object[] a = items;
    for (int i = 0; i < a.length; i += 2) {
      if (a[i] == event && a[i + 1] == listener) {
        Object[] b = new Object[a.length - 2];
        System.arraycopy(a, 0, b, 0, i);
        System.arraycopy(a, i + 2, b, i, a.length - i - 2);
        items = b.length == 0 ? NONE : b;
        return;
      }
    }
  }

  boolean isEmpty(Event<?> event) {
    Object[] a = items;
    for (int i = 0; i < a.length; i += 2) {
      if (a[i] == event) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  <T> void forEach(Event<T> event, Consumer<? super T> call) {
    Object[] a = items;
    for (int i = 0; i < a.length; i += 2) {
      if (a[i] == event) {
        call.accept((T) a[i + 1]);
      }
    }
  }
}
