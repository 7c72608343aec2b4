package dev.jnet.tcp;

import dev.jnet.testkit.FramingMessagingContract;
import dev.jnet.testkit.TransportFixture;

class TcpFramingMessagingTest extends FramingMessagingContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
