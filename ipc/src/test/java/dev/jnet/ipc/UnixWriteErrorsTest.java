package dev.jnet.ipc;

import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;

class UnixWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
