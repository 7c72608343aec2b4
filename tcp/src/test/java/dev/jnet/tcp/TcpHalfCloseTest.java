package dev.jnet.tcp;

import dev.jnet.testkit.HalfCloseContract;
import dev.jnet.testkit.TransportFixture;

class TcpHalfCloseTest extends HalfCloseContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
