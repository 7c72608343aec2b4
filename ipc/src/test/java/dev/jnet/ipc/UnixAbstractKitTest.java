package dev.jnet.ipc;

import dev.jnet.testkit.BackpressureContract;
import dev.jnet.testkit.ConnectContract;
import dev.jnet.testkit.ConnectErrorsContract;
import dev.jnet.testkit.DataContract;
import dev.jnet.testkit.EncodingContract;
import dev.jnet.testkit.FramingContract;
import dev.jnet.testkit.FramingMessagingContract;
import dev.jnet.testkit.HalfCloseContract;
import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.ServerContract;
import dev.jnet.testkit.StressContract;
import dev.jnet.testkit.StressEventsContract;
import dev.jnet.testkit.TimeoutContract;
import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The conformance kit over abstract Unix names (epoll only): one nested class per contract. The
 * stress contracts carry the tag {@code stress}.
 *
 * <p>Each nested class was a one-line file of its own ({@code UnixAbstract<Contract>Test}); a
 * failure is reported as {@code UnixAbstractKitTest$<Contract>}.
 */
@DisabledIfSystemProperty(
    named = "jnet.transport",
    matches = "nio",
    disabledReason =
        "abstract Unix names need the epoll engine; NIO's UnixDomainSocketAddress has no abstract namespace")
class UnixAbstractKitTest {
  @Nested
  class Backpressure extends BackpressureContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Connect extends ConnectContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Data extends DataContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class HalfClose extends HalfCloseContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Reset extends ResetContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class StressEvents extends StressEventsContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Stress extends StressContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Timeout extends TimeoutContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class WriteErrors extends WriteErrorsContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Framing extends FramingContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class FramingMessaging extends FramingMessagingContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class ConnectErrors extends ConnectErrorsContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Encoding extends EncodingContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }

  @Nested
  class Server extends ServerContract {
    @Override
    protected TransportFixture fixture() {
      return UnixFixture.ABSTRACT;
    }
  }
}
