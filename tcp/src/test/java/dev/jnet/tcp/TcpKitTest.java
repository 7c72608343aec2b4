package dev.jnet.tcp;

import dev.jnet.testkit.BackpressureContract;
import dev.jnet.testkit.ConnectContract;
import dev.jnet.testkit.ConnectErrorsContract;
import dev.jnet.testkit.DataContract;
import dev.jnet.testkit.EncodingContract;
import dev.jnet.testkit.FramingContract;
import dev.jnet.testkit.FramingMessagingContract;
import dev.jnet.testkit.HalfCloseContract;
import dev.jnet.testkit.HeartbeatContract;
import dev.jnet.testkit.PipeContract;
import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.ServerContract;
import dev.jnet.testkit.StressContract;
import dev.jnet.testkit.StressEventsContract;
import dev.jnet.testkit.TimeoutContract;
import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;
import org.junit.jupiter.api.Nested;

/**
 * The conformance kit over TCP on 127.0.0.1: one nested class per contract. The stress contracts
 * carry the tag {@code stress}.
 *
 * <p>Each nested class was a one-line file of its own ({@code Tcp<Contract>Test}); a failure is
 * reported as {@code TcpKitTest$<Contract>}.
 */
class TcpKitTest {
  @Nested
  class Backpressure extends BackpressureContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class ConnectErrors extends ConnectErrorsContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Connect extends ConnectContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Pipe extends PipeContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Data extends DataContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Encoding extends EncodingContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class FramingMessaging extends FramingMessagingContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Framing extends FramingContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @org.junit.jupiter.api.condition.DisabledIfSystemProperty(
      named = "jnet.transport",
      matches = "nio|io_uring",
      disabledReason =
          "the heartbeat's timers are the engine's loop timers, run here on epoll and on NIO by"
              + " UnixKitTest; its 10 s of deadlines once per engine would cost the suite its budget")
  @Nested
  class Heartbeat extends HeartbeatContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class HalfClose extends HalfCloseContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Reset extends ResetContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Server extends ServerContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class StressEvents extends StressEventsContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Stress extends StressContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class Timeout extends TimeoutContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }

  @Nested
  class WriteErrors extends WriteErrorsContract {
    @Override
    protected TransportFixture fixture() {
      return TcpFixture.INSTANCE;
    }
  }
}
