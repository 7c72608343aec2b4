package dev.jnet.message;

/**
 * The peer answered a request with an error response ({@code E}); {@link #getMessage()} is its
 * reason.
 *
 * <p>Threading: immutable once created.
 */
public final class RequestRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The rejected request's correlation id. */
  private final long id;

  RequestRejectedException(long id, String reason) {
    super(reason);
    this.id = id;
  }

  /**
   * Returns the correlation id of the rejected request.
   *
   * @return the id
   */
  public long id() {
    return id;
  }
}
