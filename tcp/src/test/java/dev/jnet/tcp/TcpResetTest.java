package dev.jnet.tcp;

import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.TransportFixture;

class TcpResetTest extends ResetContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
