package dev.jnet.ipc;

import dev.jnet.testkit.StressEventsContract;
import dev.jnet.testkit.TransportFixture;

class UnixStressEventsTest extends StressEventsContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
