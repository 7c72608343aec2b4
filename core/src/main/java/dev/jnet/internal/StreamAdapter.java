package dev.jnet.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The one Netty handler of every stream channel: it forwards readiness, bytes, EOF and errors to
 * its socket ({@link SocketLife}) and holds no semantics of its own. Every inbound buffer is either
 * handed over (the socket then owns it) or released here.
 *
 * <p>It overrides every inbound method, the ones it only passes on included: Netty works out which
 * methods a handler class skips by looking for {@code @Skip} on them, and the first annotation it
 * finds costs a one-shot client milliseconds (an annotation proxy class is spun at run time).
 */
final class StreamAdapter extends ChannelInboundHandlerAdapter {
  private final SocketLife socket;
  private boolean batchOpen;

  StreamAdapter(SocketLife socket) {
    this.socket = socket;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!batchOpen) {
      batchOpen = true;
      FlushBatch.current().begin();
    }
    socket.onRead(buf);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    closeBatch();
    socket.onReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      closeBatch();
      socket.onEof();
    } else if (socket.isTls()) {
      closeBatch();
      socket.onTlsEvent(evt);
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeBatch();
    socket.onFailure(cause, "read");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeBatch();
    socket.onInactive();
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {
    ctx.fireChannelRegistered();
  }

  @Override
  public void channelUnregistered(ChannelHandlerContext ctx) {
    ctx.fireChannelUnregistered();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.fireChannelActive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // taken out mid-read (STARTTLS hands the channel over from inside a data listener): the
    // loop's flush batch must not stay open, or every socket of the loop would wait for a flush
    closeBatch();
  }

  private void closeBatch() {
    if (batchOpen) {
      batchOpen = false;
      FlushBatch.current().end();
    }
  }
}
