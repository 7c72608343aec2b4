package dev.jnet.ipc;

import dev.jnet.testkit.BackpressureContract;
import dev.jnet.testkit.TransportFixture;

class UnixBackpressureTest extends BackpressureContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
