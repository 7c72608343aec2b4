package dev.jnet.tcp;

import dev.jnet.testkit.EncodingContract;
import dev.jnet.testkit.TransportFixture;

class TcpEncodingTest extends EncodingContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
