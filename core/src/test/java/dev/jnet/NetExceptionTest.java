package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Node's message shapes: {@code connect ECONNREFUSED 127.0.0.1:7000}, {@code listen EADDRINUSE:
 * ...}.
 */
class NetExceptionTest {

  @Test
  void connectErrorsReadSyscallCodeAddress() {
    NetException e = NetException.of(ErrorCode.ECONNREFUSED, "connect", "127.0.0.1:7000", null);
    assertThat(e.getMessage()).isEqualTo("connect ECONNREFUSED 127.0.0.1:7000");
    assertThat(e.code()).isEqualTo(ErrorCode.ECONNREFUSED);
    assertThat(e.syscall()).contains("connect");
    assertThat(e.endpoint()).contains("127.0.0.1:7000");
  }

  @Test
  void listenErrorsCarryTheDescription() {
    assertThat(NetException.of(ErrorCode.EADDRINUSE, "listen", "[::1]:7000", null).getMessage())
        .isEqualTo("listen EADDRINUSE: address already in use [::1]:7000");
    assertThat(NetException.of(ErrorCode.EADDRINUSE, "listen", "/run/app.sock", null).getMessage())
        .isEqualTo("listen EADDRINUSE: address already in use /run/app.sock");
  }

  @Test
  void errorsWithoutAnAddressEndWithTheCode() {
    NetException e = NetException.of(ErrorCode.ECONNRESET, "read", "", null);
    assertThat(e.getMessage()).isEqualTo("read ECONNRESET");
    assertThat(e.endpoint()).isEmpty();
  }

  @Test
  void jnetErrorsReadCodeColonDescriptionWithoutSyscall() {
    NetException e = NetException.of(ErrorCode.ERR_SERVER_NOT_RUNNING);
    assertThat(e.getMessage()).isEqualTo("ERR_SERVER_NOT_RUNNING: Server is not running.");
    assertThat(e.syscall()).isEmpty();
    assertThat(NetException.of(ErrorCode.ERR_STREAM_WRITE_AFTER_END).getMessage())
        .isEqualTo("ERR_STREAM_WRITE_AFTER_END: write after end");
  }

  @Test
  void theCauseIsKept() {
    Exception cause = new java.io.IOException("Connection refused");
    assertThat(NetException.of(ErrorCode.ECONNREFUSED, "connect", "h:1", cause)).hasCause(cause);
    assertThat(ErrorCode.ECONNREFUSED.isSystemError()).isTrue();
    assertThat(ErrorCode.ERR_BUFFER_FULL.isSystemError()).isFalse();
  }
}
