package dev.jnet.tcp;

import dev.jnet.testkit.StressEventsContract;
import dev.jnet.testkit.TransportFixture;

class TcpStressEventsTest extends StressEventsContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
