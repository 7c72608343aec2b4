package dev.jnet.tcp;

import dev.jnet.testkit.FramingContract;
import dev.jnet.testkit.TransportFixture;

class TcpFramingTest extends FramingContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
