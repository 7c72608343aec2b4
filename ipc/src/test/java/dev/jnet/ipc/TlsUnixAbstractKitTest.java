package dev.jnet.ipc;

import dev.jnet.testkit.BackpressureContract;
import dev.jnet.testkit.ConnectContract;
import dev.jnet.testkit.ConnectErrorsContract;
import dev.jnet.testkit.DataContract;
import dev.jnet.testkit.EncodingContract;
import dev.jnet.testkit.HalfCloseContract;
import dev.jnet.testkit.ResetContract;
import dev.jnet.testkit.ServerContract;
import dev.jnet.testkit.TimeoutContract;
import dev.jnet.testkit.TlsFixture;
import dev.jnet.testkit.TransportFixture;
import dev.jnet.testkit.WriteErrorsContract;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit over TLS over abstract Unix names (epoll only): every contract but the stress
 * ones and the message layer's (whose servers and clients are made by the message layer itself, not
 * by the fixture).
 */
@org.junit.jupiter.api.condition.DisabledIfSystemProperty(
    named = "jnet.transport",
    matches = "nio",
    disabledReason =
        "abstract Unix names need the epoll engine; NIO's UnixDomainSocketAddress has no abstract namespace")
class TlsUnixAbstractKitTest {
  private static final TransportFixture FIXTURE = new TlsFixture(UnixFixture.ABSTRACT);

  @Nested
  class Backpressure extends BackpressureContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }

    @Test
    @Disabled(
        "under TLS the bytes that arrive with the handshake's last flight are read (held, not delivered) while paused, so bytesRead is not 0 before resume")
    @Override
    public void pauseOnConnectHandsOverAPausedSocketThatReadsNothingUntilResume()
        throws Exception {}
  }

  @Nested
  class ConnectErrors extends ConnectErrorsContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }
  }

  @Nested
  class Connect extends ConnectContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }
  }

  @Nested
  class Data extends DataContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }

    @Test
    @Disabled(
        "under TLS the bytes that arrive with the handshake's last flight are read (held, not delivered) while paused, so bytesRead is not 0 before resume")
    @Override
    public void pausedServerSocketReceivesEverythingAfterResume() {}
  }

  @Nested
  class Encoding extends EncodingContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }
  }

  @Nested
  class HalfClose extends HalfCloseContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }
  }

  @Nested
  class Reset extends ResetContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }
  }

  @Nested
  class Server extends ServerContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }

    @Test
    @Disabled(
        "over TLS the refused client sees ECONNRESET (the server closed before the handshake"
            + " ended), as Node's tls sockets do, not a clean end")
    @Override
    public void maxConnectionsClosesTheExtraConnectionAtOnceAndKeepsServing() {}
  }

  @Nested
  class Timeout extends TimeoutContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }
  }

  @Nested
  class WriteErrors extends WriteErrorsContract {
    @Override
    protected TransportFixture fixture() {
      return FIXTURE;
    }

    @Test
    @Disabled(
        "the client is destroyed before its handshake ends, so a TLS server never hands the connection out (it reports tlsClientError, as Node)")
    @Override
    public void writeAfterEndFailsTheCallbackThenErrorsAndNothingReachesTheWire() {}
  }
}
