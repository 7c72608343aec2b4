package dev.jnet.spi;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors.NativeIoException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * Maps what Netty and the JDK throw to Node's error codes. The epoll engine reports errno values;
 * NIO reports the C library's strerror texts; both are handled.
 *
 * <p>Threading: stateless; call from any thread.
 */
public final class SystemErrors {
  private SystemErrors() {}

  /**
   * Maps a failure.
   *
   * @param failure what was thrown, or a {@link CompletionException} around it
   * @param syscall the operation ({@code connect}, {@code listen}, {@code read}, {@code write})
   * @param endpoint the address concerned, or an empty string
   * @return the exception with a Node code and message
   */
  public static NetException map(Throwable failure, String syscall, String endpoint) {
    if (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause(); // what a CompletionStage stage failed with
    }
    if (failure instanceof NetException ne) {
      return ne;
    }
    ErrorCode code = code(failure);
    if (code == ErrorCode.ENOTFOUND) {
      // Node: "getaddrinfo ENOTFOUND host", the host name alone
      return NetException.of(code, "getaddrinfo", hostOf(failure, endpoint), failure);
    }
    return NetException.of(code, syscall, endpoint, failure);
  }

  private static String hostOf(Throwable failure, String endpoint) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof UnknownHostException
          && t.getMessage() != null
          && !t.getMessage().isBlank()) {
        String m = t.getMessage();
        int colon = m.indexOf(": ");
        return colon > 0 ? m.substring(0, colon) : m;
      }
    }
    return endpoint;
  }

  /**
   * Returns the Node error code a failure stands for, without building an error.
   *
   * @param failure the exception
   * @return its code; {@code EIO} when it names no known errno
   */
  public static ErrorCode code(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectTimeoutException) {
        return ErrorCode.ETIMEDOUT;
      }
      if (t instanceof UnknownHostException) {
        return ErrorCode.ENOTFOUND;
      }
      if (t instanceof java.io.FileNotFoundException) {
        return ErrorCode.ENOENT;
      }
      if (t instanceof java.net.NoRouteToHostException) {
        return ErrorCode.EHOSTUNREACH;
      }
      if (t instanceof NativeIoException nie) {
        ErrorCode c = fromErrno(-nie.expectedErr());
        if (c != null) {
          return c;
        }
      }
      ErrorCode c = fromMessage(t.getMessage());
      if (c != null) {
        return c;
      }
      if (t instanceof ClosedChannelException) {
        return ErrorCode.EPIPE;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return ErrorCode.EIO;
  }

  static ErrorCode fromErrno(int errno) {
    return switch (errno) {
      case 2 -> ErrorCode.ENOENT;
      case 11 -> ErrorCode.EAGAIN;
      case 13, 1 -> ErrorCode.EACCES;
      case 22 -> ErrorCode.EINVAL;
      case 24, 23 -> ErrorCode.EMFILE;
      case 32 -> ErrorCode.EPIPE;
      case 36 -> ErrorCode.ENAMETOOLONG;
      case 95 -> ErrorCode.ENOTSUP;
      case 98 -> ErrorCode.EADDRINUSE;
      case 99 -> ErrorCode.EADDRNOTAVAIL;
      case 101 -> ErrorCode.ENETUNREACH;
      case 103, 104 -> ErrorCode.ECONNRESET;
      case 110 -> ErrorCode.ETIMEDOUT;
      case 111 -> ErrorCode.ECONNREFUSED;
      case 113 -> ErrorCode.EHOSTUNREACH;
      default -> null;
    };
  }

  static ErrorCode fromMessage(String message) {
    if (message == null) {
      return null;
    }
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("connection refused")) {
      return ErrorCode.ECONNREFUSED;
    }
    if (m.contains("connection reset") || m.contains("software caused connection abort")) {
      return ErrorCode.ECONNRESET;
    }
    if (m.contains("broken pipe")) {
      return ErrorCode.EPIPE;
    }
    if (m.contains("timed out")) {
      return ErrorCode.ETIMEDOUT;
    }
    if (m.contains("address already in use")) {
      return ErrorCode.EADDRINUSE;
    }
    if (m.contains("cannot assign requested address")) {
      return ErrorCode.EADDRNOTAVAIL;
    }
    if (m.contains("no such file")) {
      return ErrorCode.ENOENT;
    }
    if (m.contains("permission denied") || m.contains("operation not permitted")) {
      return ErrorCode.EACCES;
    }
    if (m.contains("no route to host")) {
      return ErrorCode.EHOSTUNREACH;
    }
    if (m.contains("network is unreachable")) {
      return ErrorCode.ENETUNREACH;
    }
    if (m.contains("too many open files")) {
      return ErrorCode.EMFILE;
    }
    if (m.contains("name too long")) {
      return ErrorCode.ENAMETOOLONG;
    }
    if (m.contains("resource temporarily unavailable")) {
      return ErrorCode.EAGAIN;
    }
    if (m.contains("invalid argument")) {
      return ErrorCode.EINVAL;
    }
    return null;
  }
}
