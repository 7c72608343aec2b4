package dev.jnet.message;

import java.nio.ByteBuffer;

/**
 * Answers the requests a {@link Messenger} receives.
 *
 * <p>Threading: called on the connection's I/O thread; it must not block. Answer later, from any
 * thread, through the {@link Reply}.
 */
@FunctionalInterface
public interface RequestHandler {
  /**
   * Handles one request. A handler that throws answers with an error response carrying the
   * exception's message.
   *
   * @param body the request body (belongs to the handler)
   * @param reply answers it, once
   */
  void handle(ByteBuffer body, Reply reply);
}
