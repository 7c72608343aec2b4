package dev.jnet.message;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.spi.Log;
import java.util.logging.Level;

/**
 * The errors a message connection is destroyed with when its decoder or a listener fails, and the
 * log line of a listener that threw and was survived.
 */
final class MessageErrors {
  private MessageErrors() {}

  /** A decoder threw something other than its own NetException: its place in the stream is lost. */
  static NetException decoderFailed(Throwable cause) {
    NetException e =
        cause instanceof OutOfMemoryError
            ? NetException.withMessage(
                ErrorCode.ENOMEM,
                "read",
                "",
                "read ENOMEM: out of memory while decoding a frame; the connection cannot read on")
            : NetException.withMessage(
                ErrorCode.EIO,
                "read",
                "",
                "read EIO: the frame decoder failed ("
                    + cause
                    + "); the connection cannot read on");
    e.addSuppressed(cause);
    return e;
  }

  /** A message listener threw an Error: the connection goes, with the error. */
  static NetException listenerFailed(Error cause) {
    NetException e =
        cause instanceof OutOfMemoryError
            ? NetException.withMessage(
                ErrorCode.ENOMEM,
                "read",
                "",
                "read ENOMEM: a message listener ran out of memory (" + cause + ")")
            : NetException.withMessage(
                ErrorCode.ERR_UNHANDLED_ERROR,
                "read",
                "",
                "ERR_UNHANDLED_ERROR: a message listener threw " + cause);
    e.addSuppressed(cause);
    return e;
  }

  /** A broadcast recipient holds more unsent bytes than the server allows. */
  static NetException heartbeatFailed(RuntimeException cause) {
    NetException e =
        NetException.withMessage(
            ErrorCode.EIO,
            "read",
            "",
            "read EIO: the heartbeat failed ("
                + cause
                + "); without it a dead peer would go unnoticed, so the connection is closed");
    e.addSuppressed(cause);
    return e;
  }

  static NetException slowSubscriber(long buffered, long limit) {
    return NetException.withMessage(
        ErrorCode.ERR_BUFFER_FULL,
        "write",
        "",
        "ERR_BUFFER_FULL: slow subscriber: "
            + buffered
            + " bytes still unsent, above the broadcast limit of "
            + limit
            + " bytes (MessageServerOptions.maxBroadcastBacklog); the broadcast was not sent to it");
  }

  static void listenerThrew(MessageSocket socket, RuntimeException e) {
    Log.get()
        .log(
            Level.WARNING,
            "a message listener of " + socket + " threw; the connection carries on",
            e);
  }
}
