package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;

class PipeWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
