package dev.jnet.ipc;

import dev.jnet.testkit.HalfCloseContract;
import dev.jnet.testkit.TransportFixture;

class UnixHalfCloseTest extends HalfCloseContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
