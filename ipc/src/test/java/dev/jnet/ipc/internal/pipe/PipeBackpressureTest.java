package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.BackpressureContract;
import dev.jnet.testkit.TransportFixture;

class PipeBackpressureTest extends BackpressureContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
