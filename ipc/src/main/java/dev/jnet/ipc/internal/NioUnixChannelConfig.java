package dev.jnet.ipc.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * The options of a {@link NioUnixChannel}: Netty's defaults, {@code ALLOW_HALF_CLOSURE}, and the
 * socket buffer sizes. It implements {@link SocketChannelConfig} because that is the type Netty's
 * NIO read loop asks for when it decides between half-closing and closing on EOF; the TCP-only
 * settings (Nagle, keep-alive, linger, traffic class, address reuse) do not exist on a Unix socket,
 * so their getters answer the neutral value and their setters refuse with {@link
 * UnsupportedOperationException}.
 *
 * <p>Threading: as Netty's own configurations; the flags are volatile, the buffer sizes go to the
 * socket.
 */
final class NioUnixChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {
  private final NioUnixChannel unixChannel;
  private final SocketChannel socket;
  private volatile boolean allowHalfClosure;

  NioUnixChannelConfig(NioUnixChannel channel, SocketChannel socket) {
    super(channel);
    this.unixChannel = channel;
    this.socket = socket;
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(
        super.getOptions(),
        ChannelOption.ALLOW_HALF_CLOSURE,
        ChannelOption.SO_SNDBUF,
        ChannelOption.SO_RCVBUF);
  }

  @SuppressWarnings("unchecked")
  @Override
  public <T> T getOption(ChannelOption<T> option) {
    if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      return (T) Boolean.valueOf(allowHalfClosure);
    }
    if (option == ChannelOption.SO_SNDBUF) {
      return (T) Integer.valueOf(getSendBufferSize());
    }
    if (option == ChannelOption.SO_RCVBUF) {
      return (T) Integer.valueOf(getReceiveBufferSize());
    }
    return super.getOption(option);
  }

  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    validate(option, value);
    if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      allowHalfClosure = (Boolean) value;
    } else if (option == ChannelOption.SO_SNDBUF) {
      setSendBufferSize((Integer) value);
    } else if (option == ChannelOption.SO_RCVBUF) {
      setReceiveBufferSize((Integer) value);
    } else {
      return super.setOption(option, value);
    }
    return true;
  }

  @Override
  protected void autoReadCleared() {
    unixChannel.autoReadCleared();
  }

  @Override
  public boolean isAllowHalfClosure() {
    return allowHalfClosure;
  }

  @Override
  public SocketChannelConfig setAllowHalfClosure(boolean allow) {
    allowHalfClosure = allow;
    return this;
  }

  @Override
  public int getSendBufferSize() {
    return get(StandardSocketOptions.SO_SNDBUF);
  }

  @Override
  public SocketChannelConfig setSendBufferSize(int size) {
    return set(StandardSocketOptions.SO_SNDBUF, size);
  }

  @Override
  public int getReceiveBufferSize() {
    return get(StandardSocketOptions.SO_RCVBUF);
  }

  @Override
  public SocketChannelConfig setReceiveBufferSize(int size) {
    return set(StandardSocketOptions.SO_RCVBUF, size);
  }

  private int get(SocketOption<Integer> option) {
    try {
      return socket.getOption(option);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  private SocketChannelConfig set(SocketOption<Integer> option, int value) {
    try {
      socket.setOption(option, value);
      return this;
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  // ---------------------------------------------------------------- TCP-only: not on a Unix socket

  private static UnsupportedOperationException tcpOnly(String what) {
    return new UnsupportedOperationException(what + " applies to TCP sockets, not to Unix sockets");
  }

  @Override
  public boolean isTcpNoDelay() {
    return false;
  }

  @Override
  public SocketChannelConfig setTcpNoDelay(boolean on) {
    throw tcpOnly("TCP_NODELAY");
  }

  @Override
  public int getSoLinger() {
    return -1;
  }

  @Override
  public SocketChannelConfig setSoLinger(int seconds) {
    throw tcpOnly("SO_LINGER");
  }

  @Override
  public boolean isKeepAlive() {
    return false;
  }

  @Override
  public SocketChannelConfig setKeepAlive(boolean on) {
    throw tcpOnly("SO_KEEPALIVE");
  }

  @Override
  public int getTrafficClass() {
    return 0;
  }

  @Override
  public SocketChannelConfig setTrafficClass(int trafficClass) {
    throw tcpOnly("IP_TOS");
  }

  @Override
  public boolean isReuseAddress() {
    return false;
  }

  @Override
  public SocketChannelConfig setReuseAddress(boolean on) {
    throw tcpOnly("SO_REUSEADDR");
  }

  @Override
  public SocketChannelConfig setPerformancePreferences(
      int connectionTime, int latency, int bandwidth) {
    throw tcpOnly("performance preferences");
  }

  // ---------------------------------------------------------------- Netty's settings, with this
  // type

  @Override
  public SocketChannelConfig setConnectTimeoutMillis(int millis) {
    super.setConnectTimeoutMillis(millis);
    return this;
  }

  @Override
  @Deprecated
  public SocketChannelConfig setMaxMessagesPerRead(int max) {
    super.setMaxMessagesPerRead(max);
    return this;
  }

  @Override
  public SocketChannelConfig setWriteSpinCount(int count) {
    super.setWriteSpinCount(count);
    return this;
  }

  @Override
  public SocketChannelConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public SocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public SocketChannelConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public SocketChannelConfig setAutoClose(boolean autoClose) {
    super.setAutoClose(autoClose);
    return this;
  }

  @Override
  public SocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  public SocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark mark) {
    super.setWriteBufferWaterMark(mark);
    return this;
  }

  @Override
  @Deprecated
  public SocketChannelConfig setWriteBufferHighWaterMark(int mark) {
    super.setWriteBufferHighWaterMark(mark);
    return this;
  }

  @Override
  @Deprecated
  public SocketChannelConfig setWriteBufferLowWaterMark(int mark) {
    super.setWriteBufferLowWaterMark(mark);
    return this;
  }
}
