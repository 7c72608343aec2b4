package dev.jnet.ipc;

import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

@DisabledIfSystemProperty(
    named = "jnet.transport",
    matches = "nio",
    disabledReason =
        "abstract Unix names need the epoll engine; NIO's UnixDomainSocketAddress has no abstract namespace")
class UnixAbstractWriteErrorsTest extends WriteErrorsContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.ABSTRACT;
  }
}
