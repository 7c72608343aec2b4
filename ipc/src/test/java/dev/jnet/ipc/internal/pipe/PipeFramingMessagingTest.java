package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.FramingMessagingContract;
import dev.jnet.testkit.TransportFixture;

class PipeFramingMessagingTest extends FramingMessagingContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
