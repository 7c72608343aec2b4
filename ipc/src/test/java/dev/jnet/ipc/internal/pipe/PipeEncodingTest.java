package dev.jnet.ipc.internal.pipe;

import dev.jnet.testkit.EncodingContract;
import dev.jnet.testkit.TransportFixture;

class PipeEncodingTest extends EncodingContract {
  @Override
  protected TransportFixture fixture() {
    return PipeFixture.PIPE;
  }
}
