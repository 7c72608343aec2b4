package dev.jnet.tcp;

import dev.jnet.testkit.ConnectContract;
import dev.jnet.testkit.TransportFixture;

class TcpConnectTest extends ConnectContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
