package dev.jnet.tcp;

import dev.jnet.testkit.TimeoutContract;
import dev.jnet.testkit.TransportFixture;

class TcpTimeoutTest extends TimeoutContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
