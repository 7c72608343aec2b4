package dev.jnet.tcp;

import dev.jnet.testkit.DataContract;
import dev.jnet.testkit.TransportFixture;

class TcpDataTest extends DataContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
