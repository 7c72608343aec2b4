package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.ConnectContract;
import dev.jnet.testkit.TransportFixture;

class PipeConnectTest extends ConnectContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
