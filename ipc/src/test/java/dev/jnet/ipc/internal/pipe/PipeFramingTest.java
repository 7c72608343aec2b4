package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.FramingContract;
import dev.jnet.testkit.TransportFixture;

class PipeFramingTest extends FramingContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
