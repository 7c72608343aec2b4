package dev.jnet.ipc;

import dev.jnet.testkit.StressContract;
import dev.jnet.testkit.TransportFixture;

class UnixStressTest extends StressContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
