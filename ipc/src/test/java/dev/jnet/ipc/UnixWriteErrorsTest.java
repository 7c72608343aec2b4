package dev.jnet.ipc;

import dev.jnet.testkit.WriteErrorsContract;
import dev.jnet.testkit.TransportFixture;

class UnixWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
