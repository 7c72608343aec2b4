package dev.jnet.internal;

import dev.jnet.ErrorCode;
import dev.jnet.spi.Log;
import dev.jnet.spi.SystemErrors;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Reports a listening channel's accept failures, first in its pipeline. Running out of descriptors
 * ({@code EMFILE}, {@code ENFILE}) comes in bursts: every pending connection fails the same way
 * until descriptors are freed, so it is logged once per burst, with what happens meanwhile, and
 * once more when accepting works again. After each failure accepting pauses for a second, as
 * Netty's acceptor would; the connections wait in the kernel's backlog and are served once
 * descriptors are free.
 *
 * <p>Confined to the listening channel's loop.
 */
final class AcceptErrors extends ChannelInboundHandlerAdapter {
  private static final long RETRY_SECONDS = 1;

  private final Supplier<String> where;
  private long failures;

  /**
   * Creates the reporter for one listener.
   *
   * @param where names the listener in the messages (its address)
   */
  AcceptErrors(Supplier<String> where) {
    this.where = where;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object child) {
    if (failures > 0) {
      long n = failures;
      failures = 0;
      Log.get()
          .info(() -> "jnet: " + where.get() + " accepts again, after " + n + " failed accept(s)");
    }
    ctx.fireChannelRead(child);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ErrorCode code = SystemErrors.code(cause);
    if (failures++ == 0) {
      if (code == ErrorCode.EMFILE) {
        Log.get()
            .warning(
                () ->
                    "jnet: accept EMFILE "
                        + where.get()
                        + ": too many open files; new connections"
                        + " wait in the backlog, and accepting retries every second until descriptors are freed (raise the"
                        + " limit: ulimit -n)");
      } else {
        Log.get()
            .log(
                Level.WARNING,
                "jnet: accept " + code + " " + where.get() + "; accepting retries every second",
                cause);
      }
    }
    pauseAccepting(ctx);
  }

  /**
   * Stops accepting for a second (what Netty's acceptor would do, which then lets the pipeline's
   * tail warn).
   */
  private static void pauseAccepting(ChannelHandlerContext ctx) {
    ChannelConfig config = ctx.channel().config();
    if (config.isAutoRead()) {
      config.setAutoRead(false);
      ctx.channel()
          .eventLoop()
          .schedule(() -> config.setAutoRead(true), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }
}
