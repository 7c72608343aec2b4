package dev.jnet.ipc.pipe;

import dev.jnet.testkit.WriteErrorsContract;
import dev.jnet.testkit.TransportFixture;

class PipeWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
