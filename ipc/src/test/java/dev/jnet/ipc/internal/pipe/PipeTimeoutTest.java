package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.TimeoutContract;
import dev.jnet.testkit.TransportFixture;

class PipeTimeoutTest extends TimeoutContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
