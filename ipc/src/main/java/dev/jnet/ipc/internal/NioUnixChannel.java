package dev.jnet.ipc.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.nio.AbstractNioByteChannel;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A Unix stream socket on the NIO engine that half-closes as epoll's does: the peer's EOF shuts our
 * input down and fires {@code ChannelInputShutdownEvent} (when {@code ALLOW_HALF_CLOSURE} is set,
 * as core always sets it), and {@link #shutdownOutput()} sends our EOF while the socket goes on
 * reading. It wraps a JDK {@link SocketChannel} of the {@code UNIX} family (Java 16+), which can
 * {@code shutdownOutput()}.
 *
 * <p>Why not Netty's {@code NioDomainSocketChannel}: its configuration does not know {@code
 * ALLOW_HALF_CLOSURE} (Netty logs "Unknown channel option"), so the peer's EOF closes the whole
 * channel; a reply still queued in the channel when a client ended first was then dropped without
 * an error (the reader saw the bytes that were already in the kernel, about one socket buffer, then
 * a clean end). Netty's class is final, hence this one.
 *
 * <p>Threading: as every Netty channel, driven by its event loop; the shutdown methods may be
 * called from any thread and run on the loop.
 */
final class NioUnixChannel extends AbstractNioByteChannel implements DuplexChannel {
  /** Gathering writes hand the kernel at most this much at once. */
  private static final int MAX_GATHER_BYTES = 1 << 20;

  private final NioUnixChannelConfig config;
  // The real addresses of an adopted descriptor (fd:N): the JDK channel caches the scratch ones it
  // was made with.
  private final boolean fixedAddresses;
  private final SocketAddress fixedLocal;
  private final SocketAddress fixedRemote;
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;

  /** Creates an unconnected client channel. */
  NioUnixChannel() {
    this(null, open());
  }

  /**
   * Wraps a JDK Unix socket channel: one a server accepted, or one that is connected already.
   *
   * @param parent the server channel that accepted it, or null
   * @param socket the JDK channel
   */
  NioUnixChannel(Channel parent, SocketChannel socket) {
    this(parent, socket, false, null, null);
  }

  private NioUnixChannel(
      Channel parent,
      SocketChannel socket,
      boolean fixed,
      SocketAddress local,
      SocketAddress remote) {
    super(parent, socket);
    config = new NioUnixChannelConfig(this, socket);
    fixedAddresses = fixed;
    fixedLocal = local;
    fixedRemote = remote;
  }

  /**
   * Wraps a JDK channel that adopted an inherited connected socket ({@link NioAdoption}), with its
   * real addresses.
   *
   * @param socket the JDK channel
   * @param local the socket's own address, or null if unbound or unknown
   * @param remote the peer's address, or null if unknown
   * @return the channel
   */
  static NioUnixChannel adopted(SocketChannel socket, SocketAddress local, SocketAddress remote) {
    return new NioUnixChannel(null, socket, true, local, remote);
  }

  private static SocketChannel open() {
    try {
      return SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      throw new ChannelException("cannot open a Unix socket", e);
    }
  }

  @Override
  public SocketChannelConfig config() {
    return config;
  }

  @Override
  protected SocketChannel javaChannel() {
    return (SocketChannel) super.javaChannel();
  }

  @Override
  public boolean isActive() {
    SocketChannel ch = javaChannel();
    return ch.isOpen() && ch.isConnected();
  }

  // ---------------------------------------------------------------- half-close

  @Override
  public boolean isInputShutdown() {
    return inputShutdown || !isActive();
  }

  @Override
  protected boolean isInputShutdown0() {
    return isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown || !isActive();
  }

  @Override
  public boolean isShutdown() {
    return isInputShutdown() && isOutputShutdown();
  }

  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    onLoop(
        () -> {
          try {
            javaChannel().shutdownInput();
            inputShutdown = true;
            promise.setSuccess();
          } catch (Throwable t) {
            promise.setFailure(t);
          }
        });
    return promise;
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    // Netty's unsafe fails what is still queued, shuts the socket down through doShutdownOutput,
    // and fires
    // ChannelOutputShutdownEvent; core calls this only once every write has completed.
    onLoop(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
    return promise;
  }

  @Override
  protected void doShutdownOutput() throws Exception {
    javaChannel().shutdownOutput();
    outputShutdown = true;
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    shutdownOutput()
        .addListener(
            out ->
                shutdownInput()
                    .addListener(
                        in -> {
                          Throwable cause = out.cause() != null ? out.cause() : in.cause();
                          if (cause == null) {
                            promise.setSuccess();
                          } else {
                            promise.setFailure(cause);
                          }
                        }));
    return promise;
  }

  /**
   * Called by the configuration when auto-read is switched off: a read already asked for is
   * withdrawn.
   */
  void autoReadCleared() {
    clearReadPending();
  }

  private void onLoop(Runnable r) {
    if (eventLoop().inEventLoop()) {
      r.run();
    } else {
      eventLoop().execute(r);
    }
  }

  // ---------------------------------------------------------------- addresses, connect, close

  @Override
  protected SocketAddress localAddress0() {
    if (fixedAddresses) {
      return fixedLocal;
    }
    try {
      return javaChannel().getLocalAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected SocketAddress remoteAddress0() {
    if (fixedAddresses) {
      return fixedRemote;
    }
    try {
      return javaChannel().getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected void doBind(SocketAddress local) throws Exception {
    javaChannel().bind(local);
  }

  @Override
  protected boolean doConnect(SocketAddress remote, SocketAddress local) throws Exception {
    if (local != null) {
      doBind(local);
    }
    boolean ok = false;
    try {
      boolean connected = javaChannel().connect(remote);
      if (!connected) {
        addAndSubmit(NioIoOps.CONNECT);
      }
      ok = true;
      return connected;
    } finally {
      if (!ok) {
        doClose();
      }
    }
  }

  @Override
  protected void doFinishConnect() throws Exception {
    if (!javaChannel().finishConnect()) {
      throw new IllegalStateException("finishConnect called before the connect completed");
    }
  }

  @Override
  protected void doDisconnect() throws Exception {
    doClose();
  }

  @Override
  protected void doClose() throws Exception {
    super.doClose();
    javaChannel().close();
  }

  // ---------------------------------------------------------------- bytes

  @Override
  protected int doReadBytes(ByteBuf buf) throws Exception {
    RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
    handle.attemptedBytesRead(buf.writableBytes());
    return buf.writeBytes(javaChannel(), handle.attemptedBytesRead());
  }

  @Override
  protected int doWriteBytes(ByteBuf buf) throws Exception {
    return buf.readBytes(javaChannel(), buf.readableBytes());
  }

  @Override
  protected long doWriteFileRegion(FileRegion region) throws Exception {
    return region.transferTo(javaChannel(), region.transferred());
  }

  /** Gathering writes of everything flushed, as Netty's own socket channels do. */
  @Override
  protected void doWrite(ChannelOutboundBuffer in) throws Exception {
    SocketChannel ch = javaChannel();
    int spins = config.getWriteSpinCount();
    do {
      if (in.isEmpty()) {
        clearOpWrite();
        return;
      }
      ByteBuffer[] buffers = in.nioBuffers(1024, MAX_GATHER_BYTES);
      int count = in.nioBufferCount();
      if (count == 0) {
        spins -= doWrite0(in); // a FileRegion or an empty buffer
        continue;
      }
      long written = count == 1 ? ch.write(buffers[0]) : ch.write(buffers, 0, count);
      if (written <= 0) {
        incompleteWrite(true); // the socket buffer is full: wait for OP_WRITE
        return;
      }
      in.removeBytes(written);
      spins--;
    } while (spins > 0);
    incompleteWrite(spins < 0);
  }
}
