package dev.jnet.tcp;

import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;

class TcpWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }
}
