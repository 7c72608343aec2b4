package dev.jnet.ipc;

import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.TransportFixture;

class UnixResetTest extends ResetContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
