package dev.jnet.ipc.internal.pipe;

import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import java.util.Map;

/**
 * A {@link FifoPipeChannel}'s options: Netty's defaults plus {@link
 * ChannelOption#ALLOW_HALF_CLOSURE}; switching auto-read off tells the channel, so that a read
 * requested earlier is not done. Thread-safe, as Netty's.
 */
final class FifoChannelConfig extends DefaultChannelConfig {
  private volatile boolean allowHalfClosure;

  FifoChannelConfig(FifoPipeChannel channel) {
    super(channel);
  }

  @Override
  protected void autoReadCleared() {
    ((FifoPipeChannel) channel).autoReadCleared();
  }

  boolean isAllowHalfClosure() {
    return allowHalfClosure;
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(super.getOptions(), ChannelOption.ALLOW_HALF_CLOSURE);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getOption(ChannelOption<T> option) {
    if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      return (T) Boolean.valueOf(allowHalfClosure);
    }
    return super.getOption(option);
  }

  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    validate(option, value);
    if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      allowHalfClosure = (Boolean) value;
      return true;
    }
    return super.setOption(option, value);
  }
}
