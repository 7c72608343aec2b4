package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.ConnectErrorsContract;
import dev.jnet.testkit.TransportFixture;

class PipeConnectErrorsTest extends ConnectErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
