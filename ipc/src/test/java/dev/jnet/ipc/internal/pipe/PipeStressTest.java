package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.StressContract;
import dev.jnet.testkit.TransportFixture;

class PipeStressTest extends StressContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
