package dev.jnet.internal.tls;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Names a TLS failure with the code Node gives for it: a certificate verdict ({@link
 * NodeTrust.Rejected}), an alert the peer sent (OpenSSL's {@code ERR_SSL_..._ALERT_...} names), a
 * peer that does not speak TLS, a handshake that timed out, a connection lost during the handshake.
 *
 * <p>Threading: stateless.
 */
public final class TlsErrors {
  private TlsErrors() {}

  /**
   * Tells whether a failure comes from TLS (so {@link #map} should name it).
   *
   * @param cause the failure
   * @return true if an {@link SSLException} or a TLS verdict is among its causes
   */
  public static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof NodeTrust.Rejected) {
        return true;
      }
    }
    return false;
  }

  /**
   * Maps a failure of the TLS layer.
   *
   * @param cause the failure
   * @param endpoint the endpoint, for the message ({@code ""} for none)
   * @return the exception with Node's code
   */
  public static NetException map(Throwable cause, String endpoint) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NodeTrust.Rejected r) {
        return r.error();
      }
      if (t instanceof NetException n) {
        return n;
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SslHandshakeTimeoutException) {
        return NetException.withMessage(
            ErrorCode.ERR_TLS_HANDSHAKE_TIMEOUT, "", endpoint, "TLS handshake timeout");
      }
      if (t instanceof NotSslRecordException) {
        return withCause(
            ErrorCode.ERR_SSL_WRONG_VERSION_NUMBER, endpoint, "the peer does not speak TLS", cause);
      }
      if (t instanceof ClosedChannelException) {
        return NetException.withMessage(
            ErrorCode.ECONNRESET,
            "",
            endpoint,
            "Client network socket disconnected before secure TLS connection was established");
      }
      String m = t.getMessage() == null ? "" : t.getMessage();
      String lower = m.toLowerCase(Locale.ROOT);
      int alert = lower.indexOf("received fatal alert: ");
      if (alert >= 0) {
        String name = lower.substring(alert + "received fatal alert: ".length()).trim();
        return withCause(alertCode(name), endpoint, "the peer sent the alert " + name, cause);
      }
      if (lower.contains("unsupported or unrecognized ssl message")
          || lower.contains("not an ssl/tls record")) {
        return withCause(
            ErrorCode.ERR_SSL_WRONG_VERSION_NUMBER, endpoint, "the peer does not speak TLS", cause);
      }
      if (lower.contains("bad_record_mac")
          || lower.contains("tag mismatch")
          || lower.contains("aead cipher fragment")
          || lower.contains("bad record mac")) {
        return withCause(ErrorCode.ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC, endpoint, m, cause);
      }
      if (lower.contains("no appropriate protocol") || lower.contains("protocol_version")) {
        return withCause(ErrorCode.ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION, endpoint, m, cause);
      }
      if (lower.contains("no_application_protocol") || lower.contains("no application protocol")) {
        return withCause(ErrorCode.ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL, endpoint, m, cause);
      }
      if (lower.contains("remote host terminated the handshake")
          || lower.contains("connection closed while")
          || lower.contains("connection reset")) {
        return NetException.withMessage(
            ErrorCode.ECONNRESET,
            "",
            endpoint,
            "Client network socket disconnected before secure TLS connection was established");
      }
    }
    Throwable inner = cause;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        inner = t;
        break;
      }
    }
    String m = inner.getMessage() == null ? inner.toString() : inner.getMessage();
    return withCause(ErrorCode.EPROTO, endpoint, m, cause);
  }

  /** OpenSSL's reason for an alert the peer sent, by the JDK's name of the alert. */
  static ErrorCode alertCode(String alert) {
    return switch (alert) {
      case "protocol_version" -> ErrorCode.ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION;
      case "handshake_failure" -> ErrorCode.ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE;
      case "unknown_ca" -> ErrorCode.ERR_SSL_TLSV1_ALERT_UNKNOWN_CA;
      case "bad_certificate" -> ErrorCode.ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE;
      case "certificate_unknown" -> ErrorCode.ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN;
      case "certificate_expired" -> ErrorCode.ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED;
      case "certificate_required" -> ErrorCode.ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED;
      case "no_application_protocol" -> ErrorCode.ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL;
      case "unrecognized_name" -> ErrorCode.ERR_SSL_TLSV1_UNRECOGNIZED_NAME;
      case "internal_error" -> ErrorCode.ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR;
      case "bad_record_mac" -> ErrorCode.ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC;
      default -> ErrorCode.EPROTO;
    };
  }

  private static NetException withCause(
      ErrorCode code, String endpoint, String detail, Throwable cause) {
    String message =
        code == ErrorCode.EPROTO ? "EPROTO: " + detail : code.description() + " (" + detail + ")";
    return NetException.withMessage(code, "", endpoint, message);
  }
}
