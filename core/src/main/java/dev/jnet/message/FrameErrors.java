package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;

/** The frame errors, with messages that say what was wrong. */
final class FrameErrors {
  private FrameErrors() {}

  static NetException tooLarge(long length, int max) {
    return NetException.withMessage(
        ErrorCode.ERR_FRAME_TOO_LARGE,
        "read",
        "",
        "ERR_FRAME_TOO_LARGE: frame of "
            + length
            + " bytes exceeds the limit of "
            + max
            + " bytes");
  }

  static NetException truncated() {
    return NetException.of(ErrorCode.ERR_FRAME_TRUNCATED, "read", "", null);
  }
}
