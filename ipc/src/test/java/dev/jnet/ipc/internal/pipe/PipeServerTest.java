package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.ServerContract;
import dev.jnet.testkit.TransportFixture;

class PipeServerTest extends ServerContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
