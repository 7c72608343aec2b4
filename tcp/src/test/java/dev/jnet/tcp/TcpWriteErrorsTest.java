package dev.jnet.tcp;

import dev.jnet.testkit.WriteErrorsContract;
import dev.jnet.testkit.TransportFixture;

class TcpWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
