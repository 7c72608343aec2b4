package dev.jnet.ipc.pipe;

import dev.jnet.testkit.ConnectErrorsContract;
import dev.jnet.testkit.TransportFixture;

class PipeConnectErrorsTest extends ConnectErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
