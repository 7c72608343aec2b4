package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.HalfCloseContract;
import dev.jnet.testkit.TransportFixture;

class PipeHalfCloseTest extends HalfCloseContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
