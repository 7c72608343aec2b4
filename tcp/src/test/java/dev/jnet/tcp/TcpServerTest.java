package dev.jnet.tcp;

import dev.jnet.testkit.ServerContract;
import dev.jnet.testkit.TransportFixture;

class TcpServerTest extends ServerContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
