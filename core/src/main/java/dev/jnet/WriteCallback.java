package dev.jnet;

import java.util.Optional;

/**
 * Told once when a write has left jnet: handed to the operating system ({@code error} empty), or
 * failed ({@code error} holds why, such as {@code ERR_STREAM_WRITE_AFTER_END} or {@code
 * ECONNRESET}). Callbacks of one socket run in the order of their writes.
 *
 * <p>Threading: called on the socket's I/O thread, never under a jnet lock; it must not block.
 */
@FunctionalInterface
public interface WriteCallback {
  /**
   * Reports the outcome of one write.
   *
   * @param error empty on success, else the failure
   */
  void done(Optional<NetException> error);
}
