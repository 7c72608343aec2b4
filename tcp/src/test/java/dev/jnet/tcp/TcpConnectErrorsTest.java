package dev.jnet.tcp;

import dev.jnet.testkit.ConnectErrorsContract;
import dev.jnet.testkit.TransportFixture;

class TcpConnectErrorsTest extends ConnectErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
