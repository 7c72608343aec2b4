/**
 * TLS over every jnet transport, shaped like Node's {@code tls} module: {@link dev.jnet.tls.Tls}
 * creates servers and connects clients, {@link dev.jnet.tls.TlsSocket} is a {@link dev.jnet.Socket}
 * with the handshake's results, {@link dev.jnet.tls.TlsServer} reports failed handshakes and
 * reloads its certificate. Failures carry Node's codes ({@code DEPTH_ZERO_SELF_SIGNED_CERT}, {@code
 * ERR_TLS_CERT_ALTNAME_INVALID}, ...).
 */
package dev.jnet.tls;
