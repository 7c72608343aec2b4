package dev.jnet.ipc;

import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.TransportFixture;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

@DisabledIfSystemProperty(
    named = "jnet.transport",
    matches = "nio",
    disabledReason =
        "abstract Unix names need the epoll engine; NIO's UnixDomainSocketAddress has no abstract namespace")
class UnixAbstractResetTest extends ResetContract {
  @Override
  protected TransportFixture fixture() {
    return UnixFixture.ABSTRACT;
  }
}
