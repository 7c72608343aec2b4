package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.TransportFixture;

class PipeResetTest extends ResetContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
