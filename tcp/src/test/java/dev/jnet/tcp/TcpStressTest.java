package dev.jnet.tcp;

import dev.jnet.testkit.StressContract;
import dev.jnet.testkit.TransportFixture;

class TcpStressTest extends StressContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
