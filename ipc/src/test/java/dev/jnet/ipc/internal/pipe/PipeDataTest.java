package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.DataContract;
import dev.jnet.testkit.TransportFixture;

class PipeDataTest extends DataContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
