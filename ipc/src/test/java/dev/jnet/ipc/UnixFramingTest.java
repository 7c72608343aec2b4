package dev.jnet.ipc;

import dev.jnet.testkit.FramingContract;
import dev.jnet.testkit.TransportFixture;

class UnixFramingTest extends FramingContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
