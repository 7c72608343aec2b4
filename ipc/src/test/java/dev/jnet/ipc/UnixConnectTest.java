package dev.jnet.ipc;

import dev.jnet.testkit.ConnectContract;
import dev.jnet.testkit.TransportFixture;

class UnixConnectTest extends ConnectContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
