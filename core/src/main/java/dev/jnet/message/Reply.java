package dev.jnet.message;

import java.nio.ByteBuffer;

/**
 * The answer to one received request: exactly one of {@link #resolve} or {@link #reject} is sent;
 * later calls, and calls after the requester cancelled or the connection closed, do nothing.
 *
 * <p>Threading: every method may be called from any thread; {@link #onCancel} listeners run on the
 * connection's I/O thread and must not block.
 */
public interface Reply {
  /**
   * Sends a successful response ({@code R}).
   *
   * @param body the result
   * @return true if this call sent the response
   */
  boolean resolve(ByteBuffer body);

  /**
   * Sends an error response ({@code E}) with a reason.
   *
   * @param reason the reason, sent as UTF-8
   * @return true if this call sent the response
   */
  boolean reject(String reason);

  /**
   * Tells whether the requester cancelled (timeout or cancel) or the connection closed.
   *
   * @return true if a response would be dropped
   */
  boolean isCancelled();

  /**
   * Runs an action when the requester cancels or the connection closes before the answer.
   *
   * @param action called at most once
   */
  void onCancel(Runnable action);
}
