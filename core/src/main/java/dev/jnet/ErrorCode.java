package dev.jnet;

/**
 * The codes a {@link NetException} carries: Node's system error names ({@code ECONNREFUSED}, ...)
 * for failures the operating system reports, and Node's {@code ERR_*} names for failures jnet
 * detects itself.
 *
 * <p>Threading: an immutable enum, safe to use from any thread.
 */
public enum ErrorCode {
  /** Nothing accepts connections at the address (TCP port closed, stale Unix socket). */
  ECONNREFUSED("connection refused"),
  /** The address (port or socket path) is already bound by someone else. */
  EADDRINUSE("address already in use"),
  /** The address is not one of this machine's. */
  EADDRNOTAVAIL("address not available"),
  /** The peer reset the connection. */
  ECONNRESET("connection reset by peer"),
  /** Wrote to a connection whose peer has closed it. */
  EPIPE("broken pipe"),
  /** The connection attempt or an operation timed out. */
  ETIMEDOUT("operation timed out"),
  /** No such file or directory (a missing socket path). */
  ENOENT("no such file or directory"),
  /** Permission denied. */
  EACCES("permission denied"),
  /** A name or path is too long for the address family. */
  ENAMETOOLONG("name too long"),
  /** The process has too many open files. */
  EMFILE("too many open files"),
  /** The host name could not be resolved. */
  ENOTFOUND("host not found"),
  /** The host cannot be reached. */
  EHOSTUNREACH("host unreachable"),
  /** The network cannot be reached. */
  ENETUNREACH("network unreachable"),
  /** An invalid argument reached the operating system. */
  EINVAL("invalid argument"),
  /** No such open descriptor ({@code fd:N}). */
  EBADF("bad file descriptor"),
  /** The descriptor is not a socket jnet can serve ({@code fd:N}). */
  ENOTSOCK("socket operation on non-socket"),
  /** The operation is not supported on this transport or platform. */
  ENOTSUP("operation not supported"),
  /**
   * A Unix socket's accept queue is full (the listener is not accepting fast enough); try again.
   */
  EAGAIN("resource temporarily unavailable"),
  /** The operation was cancelled because the socket closed first. */
  ECANCELED("operation canceled"),
  /** Any other operating-system failure. */
  EIO("input/output error"),
  /** The socket is closed (written after {@code destroy()}, or used before it had a handle). */
  ERR_SOCKET_CLOSED("Socket is closed"),
  /** The socket was destroyed before its connection was established. */
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION("Socket closed before the connection was established"),
  /** Written after {@code end()}. */
  ERR_STREAM_WRITE_AFTER_END("write after end"),
  /** The writer ignored backpressure and the write buffer reached its hard cap. */
  ERR_BUFFER_FULL("write buffer full"),
  /** {@code close()} on a server that is not listening. */
  ERR_SERVER_NOT_RUNNING("Server is not running."),
  /** {@code listen()} on a server that already listens. */
  ERR_SERVER_ALREADY_LISTEN("Listen method has been called more than once without closing."),
  /** No transport on the class path handles the endpoint's scheme. */
  ERR_NO_TRANSPORT("no transport for this endpoint"),
  /** A frame's length is larger than the configured maximum. */
  ERR_FRAME_TOO_LARGE("frame too large"),
  /** The stream ended in the middle of a frame. */
  ERR_FRAME_TRUNCATED("stream ended inside a frame"),
  /**
   * Out of memory: a listener of the connection threw {@link OutOfMemoryError}; the connection is
   * destroyed.
   */
  ENOMEM("not enough memory"),
  /**
   * A listener threw an {@link Error} other than {@link OutOfMemoryError}; the connection is
   * destroyed.
   */
  ERR_UNHANDLED_ERROR("a listener threw an error"),

  // ---- TLS: certificate verification (OpenSSL's names, as Node reports them)
  /** The peer's certificate (or one in its chain) has expired. */
  CERT_HAS_EXPIRED("certificate has expired"),
  /** The peer's certificate (or one in its chain) is not valid yet. */
  CERT_NOT_YET_VALID("certificate is not yet valid"),
  /** The peer sent one self-signed certificate that is not trusted. */
  DEPTH_ZERO_SELF_SIGNED_CERT("self-signed certificate"),
  /** The peer's chain ends in a self-signed root that is not trusted. */
  SELF_SIGNED_CERT_IN_CHAIN("self-signed certificate in certificate chain"),
  /** The peer sent a leaf alone whose issuer is not trusted. */
  UNABLE_TO_VERIFY_LEAF_SIGNATURE("unable to verify the first certificate"),
  /** The issuer of the last certificate of the peer's chain is not trusted. */
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY("unable to get local issuer certificate"),
  /** A signature in the peer's chain does not verify. */
  CERT_SIGNATURE_FAILURE("certificate signature failure"),
  /**
   * The peer's certificate is not valid for the purpose (a client certificate used by a server).
   */
  INVALID_PURPOSE("unsupported certificate purpose"),
  /** The peer's certificate names neither the host name nor the address connected to. */
  ERR_TLS_CERT_ALTNAME_INVALID("Hostname/IP does not match certificate's altnames"),

  // ---- TLS: the handshake and the record layer
  /** The TLS handshake did not complete within the handshake timeout. */
  ERR_TLS_HANDSHAKE_TIMEOUT("TLS handshake timeout"),
  /** The peer does not speak TLS (plain text, or another protocol, where a handshake was due). */
  ERR_SSL_WRONG_VERSION_NUMBER("wrong version number"),
  /** The peer refused the handshake: no protocol version both ends allow. */
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION("tlsv1 alert protocol version"),
  /** The peer refused the handshake (no common cipher, or a policy of its own). */
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE("sslv3 alert handshake failure"),
  /** The peer does not trust the certificate authority of our certificate. */
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA("tlsv1 alert unknown ca"),
  /** The peer rejected our certificate. */
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE("sslv3 alert bad certificate"),
  /** The peer could not verify our certificate. */
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN("sslv3 alert certificate unknown"),
  /** The peer found our certificate expired. */
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED("sslv3 alert certificate expired"),
  /** The server requires a client certificate and we sent none (TLS 1.3). */
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED("tlsv13 alert certificate required"),
  /** The server speaks none of the application protocols (ALPN) we offered. */
  ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL("tlsv1 alert no application protocol"),
  /** The server knows no certificate for the name we asked for (SNI). */
  ERR_SSL_TLSV1_UNRECOGNIZED_NAME("tlsv1 unrecognized name"),
  /** The peer reported an internal error. */
  ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR("tlsv1 alert internal error"),
  /** A record that does not decrypt: corrupted or injected bytes inside the TLS stream. */
  ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC("decryption failed or bad record mac"),
  /** The peer broke the TLS protocol (an unexpected message, a malformed record). */
  EPROTO("protocol error"),

  // ---- TLS: keys and certificates given to jnet
  /** A file or text that should hold PEM holds no {@code -----BEGIN} line of the expected kind. */
  ERR_OSSL_PEM_NO_START_LINE("no start line"),
  /** The private key does not belong to the certificate. */
  ERR_OSSL_X509_KEY_VALUES_MISMATCH("key values mismatch"),
  /** A key or certificate that jnet cannot read (an unsupported algorithm, a bad encoding). */
  ERR_OSSL_UNSUPPORTED("unsupported key or certificate");

  private final String description;

  ErrorCode(String description) {
    this.description = description;
  }

  /**
   * Returns a short human description, such as {@code "connection refused"}.
   *
   * @return the description, never empty
   */
  public String description() {
    return description;
  }

  /**
   * Tells whether this is an operating-system code ({@code E...}) rather than a jnet one ({@code
   * ERR_...}) or a certificate verification result ({@code CERT_HAS_EXPIRED}, ...).
   *
   * @return true for system codes
   */
  public boolean isSystemError() {
    return name().startsWith("E") && !name().startsWith("ERR_");
  }
}
