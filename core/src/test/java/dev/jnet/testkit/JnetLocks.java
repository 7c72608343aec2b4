package dev.jnet.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The locks a jnet object could hold while it delivers an event: the object itself, the jnet
 * objects it reaches through its fields (a few levels deep), their lock fields and their classes'
 * static ones. Every public type promises that listeners run under no jnet lock (a listener that
 * takes its own lock, or calls back into jnet from another thread, must not deadlock against jnet);
 * {@link EventRecorder} asks {@link #heldByCurrentThread()} on every event, as OkHttp's {@code
 * EventRecorder.forbidLock} does.
 *
 * <p>Threading: built once, then read-only; safe to query from any thread.
 */
public final class JnetLocks {
  private static final int DEPTH = 3;
  private final List<Object> candidates;

  private JnetLocks(List<Object> candidates) {
    this.candidates = candidates;
  }

  /**
   * Collects the candidate locks reachable from a jnet object.
   *
   * @param root a socket, server or message socket
   * @return the candidates
   */
  public static JnetLocks of(Object root) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Object> found = new ArrayList<>();
    walk(root, DEPTH, seen, found);
    return new JnetLocks(List.copyOf(found));
  }

  /**
   * Names a candidate lock the calling thread holds.
   *
   * @return a description of the lock, or null when it holds none
   */
  public String heldByCurrentThread() {
    for (Object o : candidates) {
      if (Thread.holdsLock(o)) {
        return "the monitor of " + describe(o);
      }
      if (o instanceof ReentrantLock l && l.isHeldByCurrentThread()) {
        return describe(o);
      }
      if (o instanceof ReentrantReadWriteLock rw && rw.isWriteLockedByCurrentThread()) {
        return describe(o);
      }
    }
    return null;
  }

  /**
   * Returns how many candidate locks were found (for the kit's own test).
   *
   * @return the count
   */
  public int size() {
    return candidates.size();
  }

  private static String describe(Object o) {
    return o instanceof Class<?> c
        ? "class " + c.getName()
        : o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
  }

  private static boolean jnet(Class<?> c) {
    String n = c.getName();
    return n.startsWith("dev.jnet.") && !n.startsWith("dev.jnet.testkit.");
  }

  private static void walk(Object o, int depth, Set<Object> seen, List<Object> found) {
    if (o == null || !seen.add(o)) {
      return;
    }
    found.add(o);
    if (!jnet(o.getClass()) || depth == 0) {
      return;
    }
    for (Class<?> c = o.getClass(); c != null && jnet(c); c = c.getSuperclass()) {
      if (seen.add(c)) {
        found.add(c); // synchronized static methods
      }
      for (Field f : c.getDeclaredFields()) {
        if (f.getType().isPrimitive()) {
          continue;
        }
        Object v;
        try {
          f.setAccessible(true);
          v = f.get(Modifier.isStatic(f.getModifiers()) ? null : o);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue; // a field we cannot read is not a lock we can check
        }
        if (v == null) {
          continue;
        }
        if (jnet(v.getClass())) {
          walk(v, depth - 1, seen, found);
        } else if (v instanceof ReentrantLock
            || v instanceof ReentrantReadWriteLock
            || v.getClass() == Object.class) {
          if (seen.add(v)) {
            found.add(v);
          }
        }
      }
    }
  }
}
