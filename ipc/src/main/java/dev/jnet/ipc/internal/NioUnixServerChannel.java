package dev.jnet.ipc.internal;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.AbstractNioMessageChannel;
import io.netty.channel.nio.NioIoOps;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;

/**
 * A listening Unix socket on the NIO engine whose accepted connections are {@link NioUnixChannel}s,
 * so that they half-close as epoll's do. It wraps a JDK {@link ServerSocketChannel} of the {@code
 * UNIX} family; {@code SO_BACKLOG} is honoured at bind.
 *
 * <p>Threading: as every Netty channel, driven by its event loop.
 */
final class NioUnixServerChannel extends AbstractNioMessageChannel implements ServerChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

  private final Config config = new Config(this);
  // The real address of an adopted listener (fd:N): the JDK channel caches the scratch one it was
  // bound to.
  private final SocketAddress fixedLocal;

  /** Creates an unbound server channel. */
  NioUnixServerChannel() {
    this(open());
  }

  /**
   * Wraps a JDK Unix server channel, bound and listening already or not.
   *
   * @param socket the JDK channel
   */
  NioUnixServerChannel(ServerSocketChannel socket) {
    this(socket, null);
  }

  /**
   * Wraps a JDK server channel that adopted an inherited listener ({@link NioAdoption}).
   *
   * @param socket the JDK channel, bound and listening
   * @param local the listener's real address, or null to ask the JDK channel
   */
  NioUnixServerChannel(ServerSocketChannel socket, SocketAddress local) {
    super(null, socket, NioIoOps.ACCEPT);
    fixedLocal = local;
  }

  private static ServerSocketChannel open() {
    try {
      return ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      throw new ChannelException("cannot open a Unix server socket", e);
    }
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected ServerSocketChannel javaChannel() {
    return (ServerSocketChannel) super.javaChannel();
  }

  @Override
  public boolean isActive() {
    try {
      return isOpen() && javaChannel().getLocalAddress() != null;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  protected SocketAddress localAddress0() {
    if (fixedLocal != null) {
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
    return null;
  }

  @Override
  protected void doBind(SocketAddress local) throws Exception {
    javaChannel().bind(local, config.backlog);
  }

  @Override
  protected int doReadMessages(List<Object> buf) throws Exception {
    SocketChannel accepted = javaChannel().accept();
    if (accepted == null) {
      return 0;
    }
    try {
      buf.add(new NioUnixChannel(this, accepted));
      return 1;
    } catch (RuntimeException e) {
      accepted.close();
      throw e;
    }
  }

  @Override
  protected void doClose() throws Exception {
    javaChannel().close();
  }

  @Override
  protected boolean doConnect(SocketAddress remote, SocketAddress local) {
    throw new UnsupportedOperationException("a server channel does not connect");
  }

  @Override
  protected void doFinishConnect() {
    throw new UnsupportedOperationException("a server channel does not connect");
  }

  @Override
  protected void doDisconnect() {
    throw new UnsupportedOperationException("a server channel does not disconnect");
  }

  @Override
  protected boolean doWriteMessage(Object msg, ChannelOutboundBuffer in) {
    throw new UnsupportedOperationException("a server channel does not write");
  }

  void autoReadCleared() {
    clearReadPending();
  }

  /** Netty's defaults plus {@code SO_BACKLOG}. */
  private static final class Config extends DefaultChannelConfig {
    private final NioUnixServerChannel server;
    private volatile int backlog = 511;

    Config(NioUnixServerChannel server) {
      super(server);
      this.server = server;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
      return getOptions(super.getOptions(), ChannelOption.SO_BACKLOG);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
      return option == ChannelOption.SO_BACKLOG
          ? (T) Integer.valueOf(backlog)
          : super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
      validate(option, value);
      if (option == ChannelOption.SO_BACKLOG) {
        backlog = (Integer) value;
        return true;
      }
      return super.setOption(option, value);
    }

    @Override
    protected void autoReadCleared() {
      server.autoReadCleared();
    }
  }
}
