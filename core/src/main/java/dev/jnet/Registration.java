package dev.jnet;

/**
 * The handle of one listener registration ({@code socket.onData(...)}, {@code
 * server.onConnection(...)}); {@link #close()} removes the listener.
 *
 * <p>Threading: {@code close()} may be called from any thread and more than once. A listener
 * removed from another thread may still receive an event that its I/O thread was already
 * delivering; removed on the I/O thread (from inside a listener), it receives nothing more.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  /** Removes the listener. Idempotent. */
  @Override
  void close();
}
