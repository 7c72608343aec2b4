package dev.jnet.tcp;

import dev.jnet.testkit.BackpressureContract;
import dev.jnet.testkit.TransportFixture;

class TcpBackpressureTest extends BackpressureContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
