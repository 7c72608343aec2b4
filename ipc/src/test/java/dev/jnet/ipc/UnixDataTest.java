package dev.jnet.ipc;

import dev.jnet.testkit.DataContract;
import dev.jnet.testkit.TransportFixture;

class UnixDataTest extends DataContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
