package dev.jnet;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A network failure with Node's shape: a {@link #code() code} such as {@code ECONNREFUSED}, the
 * {@link #syscall() system call} that failed ({@code connect}, {@code listen}, {@code read}, {@code
 * write}, ...), the {@link #endpoint() endpoint} it concerns, and Node's message layout: {@code
 * connect ECONNREFUSED 127.0.0.1:7000}.
 *
 * <p>Threading: immutable once thrown or delivered; safe to pass between threads.
 */
public final class NetException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The Node-style error code. */
  private final ErrorCode code;

  /** The operation that failed, or null. */
  private final String syscall;

  /** The endpoint concerned, or null. */
  private final String endpoint;

  private NetException(
      ErrorCode code, String syscall, String endpoint, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.syscall = syscall;
    this.endpoint = endpoint;
  }

  /**
   * Creates an exception for a failed system call, with Node's message: {@code "<syscall> <CODE>
   * <endpoint>"}, and for {@code listen}, {@code "listen EADDRINUSE: address already in use
   * <endpoint>"}.
   *
   * @param code the error code
   * @param syscall the operation that failed, such as {@code connect}
   * @param endpoint the address concerned, or an empty string
   * @param cause the underlying failure, or {@code null}
   * @return the exception
   */
  public static NetException of(ErrorCode code, String syscall, String endpoint, Throwable cause) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(syscall, "syscall");
    Objects.requireNonNull(endpoint, "endpoint");
    StringBuilder m = new StringBuilder();
    if (!syscall.isEmpty()) {
      m.append(syscall).append(' ');
    }
    m.append(code.name());
    if (code.isSystemError() && syscall.equals("listen")) {
      m.append(": ").append(code.description());
    } else if (!code.isSystemError()) {
      m.append(": ").append(code.description());
    }
    if (!endpoint.isEmpty()) {
      m.append(' ').append(endpoint);
    }
    return new NetException(code, syscall, endpoint, m.toString(), cause);
  }

  /**
   * Creates an exception with a message of the caller's choosing, which should start with the code.
   *
   * @param code the error code
   * @param syscall the operation that failed, or an empty string
   * @param endpoint the address concerned, or an empty string
   * @param message the full message
   * @return the exception
   */
  public static NetException withMessage(
      ErrorCode code, String syscall, String endpoint, String message) {
    return new NetException(
        Objects.requireNonNull(code, "code"),
        Objects.requireNonNull(syscall, "syscall"),
        Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(message, "message"),
        null);
  }

  /**
   * Creates a jnet error ({@code ERR_...}) that no system call produced.
   *
   * @param code the error code
   * @return the exception, whose message is {@code "<CODE>: <description>"}
   */
  public static NetException of(ErrorCode code) {
    return of(code, "", "", null);
  }

  /**
   * Returns the error code.
   *
   * @return the code
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Returns the operation that failed ({@code connect}, {@code listen}, {@code read}, {@code
   * write}, {@code getaddrinfo}), if a system call failed.
   *
   * @return the system call, empty for jnet's own errors
   */
  public Optional<String> syscall() {
    return syscall.isEmpty() ? Optional.empty() : Optional.of(syscall);
  }

  /**
   * Returns the address the failure concerns, as text ({@code 127.0.0.1:7000}, {@code
   * /run/app.sock}).
   *
   * @return the endpoint text, empty when none applies
   */
  public Optional<String> endpoint() {
    return endpoint.isEmpty() ? Optional.empty() : Optional.of(endpoint);
  }
}
