package dev.jnet.ipc;

import dev.jnet.testkit.TimeoutContract;
import dev.jnet.testkit.TransportFixture;

class UnixTimeoutTest extends TimeoutContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
