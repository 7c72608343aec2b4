package dev.jnet.internal;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.spi.SystemErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelOutputShutdownException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One {@code pipe} between two epoll TCP sockets of one loop, moved by the kernel's {@code
 * splice(2)} (Netty's {@code spliceTo}: socket to a pipe of the destination's, pipe to socket)
 * instead of through buffers on the heap. The bytes never reach jnet, so this class keeps what
 * {@code pipe} promises by other means:
 *
 * <ul>
 *   <li>Chunks. Netty's splice of a length cannot be cancelled, so bytes move {@link #CHUNK} at a
 *       time; between chunks the copy path may take over (a data listener, {@code pause()}, a
 *       second pipe), so such a change takes effect within one chunk. A pause turns reading off at
 *       once (again after each splice, as Netty turns it on when a full pipe empties); {@link
 *       #resumeReading} turns it on once the destination's pipe is empty.
 *   <li>Counts and idleness: {@link SpliceMeter} reports each splice from the socket; it adds to
 *       the source's {@code bytesRead} and the destination's {@code bytesWritten} and touches both
 *       idle timers.
 *   <li>Order and the end: the destination's end waits for the chunk in flight (its writes are in
 *       the channel's outbound queue, before anything written after). Netty reports the peer's end
 *       at {@code EPOLLRDHUP}, when bytes may still wait in the socket and the chunk in flight will
 *       never fill: {@link #atEof} reads what is left itself (the peer's FIN came, so the socket
 *       holds a bounded rest), writes it behind the spliced bytes, and lets the end follow.
 *   <li>Backpressure: Netty stops reading the source while the destination's pipe is not emptied;
 *       the pipe holds at most its capacity (64 KiB by default), the socket buffers the rest.
 *   <li>Failures: the destination's pipe is closed with its channel, and a splice still queued on
 *       the source would then write to a closed descriptor. So when the destination fails or closes
 *       while a chunk is in flight, the source is destroyed too (with the destination's error),
 *       which drops Netty's queued splice. The destination's auto-close is off, so a failed write
 *       shuts its output and fails the chunk with the cause, which jnet reports, instead of closing
 *       it unseen. A failure on the source reaches it through its own read.
 * </ul>
 *
 * <p>{@code -Djnet.splice=false} keeps every pipe on the copy path.
 *
 * <p>Threads: confined to the loop both sockets share.
 */
final class Splice {
  static final boolean ENABLED = !"false".equals(System.getProperty("jnet.splice"));
  static final int CHUNK = 4 << 20;

  private final DefaultSocket source;
  private final DefaultSocket dest;
  private final EpollSocketChannel from;
  private final EpollSocketChannel to;
  private final SpliceMeter meter;
  private ChannelFuture chunk; // in flight, or null once stopped

  private Splice(
      DefaultSocket source,
      DefaultSocket dest,
      EpollSocketChannel from,
      EpollSocketChannel to,
      SpliceMeter meter) {
    this.source = source;
    this.dest = dest;
    this.from = from;
    this.to = to;
    this.meter = meter;
  }

  /** Whether a splice between these two could ever run: plain epoll TCP sockets. */
  static boolean possible(DefaultSocket source, DefaultSocket dest) {
    return ENABLED
        && source != dest
        && source.tls == null
        && dest.tls == null
        && !(source.life.channel() != null
            && !(source.life.channel() instanceof EpollSocketChannel))
        && !(dest.life.channel() != null && !(dest.life.channel() instanceof EpollSocketChannel));
  }

  /**
   * Starts splicing when both channels are ready for it now, else returns null (the caller asks
   * again later). Loop only; the caller has checked that the source has no other consumer. The
   * source must half-close: without it Netty closes a spliced channel at the peer's FIN, before the
   * rest is read.
   */
  static Splice tryStart(DefaultSocket source, DefaultSocket dest) {
    if (!(source.life.channel() instanceof EpollSocketChannel from)
        || !(dest.life.channel() instanceof EpollSocketChannel to)
        || from.eventLoop() != to.eventLoop()
        || !from.isActive()
        || !to.isActive()
        || from.isInputShutdown()
        || to.isOutputShutdown()
        || dest.out.writableEnded()
        || dest.life.destroyed()
        || !Boolean.TRUE.equals(from.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE))
        || !onlyJnet(from.pipeline())
        || !onlyJnet(to.pipeline())) {
      return null;
    }
    SpliceMeter meter = SpliceMeter.of(from);
    if (meter == null) {
      return null;
    }
    Splice s = new Splice(source, dest, from, to, meter);
    // a failed write must not close the destination (and its pipe) before the splice hears of it:
    // Netty then shuts the output down, the chunk fails with the cause, and jnet destroys both
    to.config().setAutoClose(false);
    meter.listen(s::spliced);
    to.closeFuture().addListener(f -> s.destinationClosed());
    s.next();
    return s;
  }

  private static boolean onlyJnet(ChannelPipeline p) {
    return p.first() instanceof StreamAdapter && p.first() == p.last();
  }

  boolean active() {
    return chunk != null;
  }

  DefaultSocket destination() {
    return dest;
  }

  private void spliced(int n) {
    if (!source.in.wantsToRead()) {
      // paused: Netty turns reading back on when a splice to a full pipe completes
      from.config().setAutoRead(false);
    }
    source.in.countSpliced(n);
    source.life.touchIdle();
    dest.out.countSpliced(n);
    dest.life.touchIdle();
  }

  /**
   * Reads again after a pause, once what is in the destination's pipe went out (an empty write
   * queued behind it completes): turning reading on while the pipe is full would spin on the
   * readable socket. Loop only.
   */
  void resumeReading() {
    to.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            f -> {
              if (chunk != null && source.in.wantsToRead()) {
                from.config().setAutoRead(true);
              }
            });
  }

  private void next() {
    dest.out.spliceBegan();
    ChannelFuture f = from.spliceTo(to, CHUNK);
    chunk = f;
    f.addListener(done -> chunkDone((ChannelFuture) done));
  }

  private void chunkDone(ChannelFuture f) {
    if (f != chunk) {
      return; // given up at the end, or after a failure
    }
    chunk = null;
    if (f.isSuccess()) {
      dest.out.spliceEnded(false);
      if (source.in.keepsSplicing(this)) {
        next();
      } else {
        stop();
      }
      return;
    }
    dest.out.spliceEnded(true); // what went into the pipe still goes out, before anything else
    stop();
    Throwable cause = f.cause();
    if (!to.isActive() || to.isOutputShutdown()) {
      if (cause instanceof ChannelOutputShutdownException && cause.getCause() != null) {
        cause = cause.getCause(); // the write's own failure
      }
      NetException e = SystemErrors.map(cause, "write", "");
      dest.life.destroyInternal(e);
      source.life.destroyInternal(e); // drops the splice Netty still holds for the closed pipe
      return;
    }
    // The source failed. Its own read cannot report it: splice(2) took the socket's pending error
    // (a reset), and a read after that sees only an end, which would be passed on to the
    // destination as if the stream were complete. The error is the source's, as a read's would be.
    source.life.destroyInternal(SystemErrors.map(cause, "read", ""));
  }

  private void destinationClosed() {
    if (chunk != null) {
      chunk = null;
      stop();
      NetException e =
          NetException.withMessage(
              ErrorCode.ERR_SOCKET_CLOSED,
              "splice",
              "",
              "the destination of this socket's pipe closed while the kernel spliced to it");
      dest.life.destroyInternal(e); // a no-op when jnet closed it; never a silent close
      source.life.destroyInternal(e);
    }
  }

  /** Hands the source back to the copy path, from a chunk boundary or an error. */
  private void stop() {
    meter.listen(null);
    source.in.spliceStopped(this);
  }

  /**
   * The source's end arrived while a chunk was in flight: reads what is left in the socket, writes
   * it behind the spliced bytes and hands the source back to the copy path, which then emits the
   * end. Loop only.
   *
   * @return false when the source failed instead (it is destroyed, with the error)
   */
  boolean atEof() {
    if (chunk == null) {
      return true;
    }
    chunk = null;
    from.config().setAutoRead(false); // the spliced socket is readable forever at EOF
    meter.listen(null);
    boolean ok = drainRest();
    dest.out.spliceEnded(true);
    source.in.spliceStopped(this);
    return ok;
  }

  private boolean drainRest() {
    for (; ; ) {
      ByteBuf b = from.alloc().directBuffer(64 * 1024);
      int n;
      try {
        ByteBuffer nio = b.internalNioBuffer(0, b.capacity());
        n = from.fd().read(nio, nio.position(), nio.limit());
      } catch (IOException e) {
        b.release();
        source.life.onFailure(e, "read");
        return false;
      }
      if (n <= 0) {
        b.release();
        if (n == 0) { // no EOF after the FIN: never seen, but never silent
          source.life.destroyInternal(
              NetException.withMessage(
                  ErrorCode.ERR_SOCKET_CLOSED,
                  "read",
                  "",
                  "the socket had no end after its peer's FIN while splicing"));
          return false;
        }
        return true;
      }
      b.writerIndex(n);
      source.life.onRead(b);
    }
  }
}
