package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.StressEventsContract;
import dev.jnet.testkit.TransportFixture;

class PipeStressEventsTest extends StressEventsContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
