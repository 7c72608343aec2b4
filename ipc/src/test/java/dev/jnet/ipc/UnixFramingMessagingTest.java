package dev.jnet.ipc;

import dev.jnet.testkit.FramingMessagingContract;
import dev.jnet.testkit.TransportFixture;

class UnixFramingMessagingTest extends FramingMessagingContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.PATH;
  }
}
