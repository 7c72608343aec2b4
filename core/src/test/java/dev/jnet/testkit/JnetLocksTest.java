package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Socket;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** The kit's lock check sees a jnet lock held by the calling thread, and only then. */
class JnetLocksTest {
  @Test
  void aHeldMonitorOfTheSocketOrOfWhatItReachesIsSeen() throws Exception {
    Socket s = Net.createConnection(Endpoint.parse("unix:/tmp/jnet-locks-test-nothing-here.sock"));
    try {
      JnetLocks locks = JnetLocks.of(s);
      assertThat(locks.size()).isGreaterThan(2);
      assertThat(locks.heldByCurrentThread()).isNull();
      synchronized (s) {
        assertThat(locks.heldByCurrentThread())
            .startsWith("the monitor of dev.jnet.internal.DefaultSocket@");
      }
      Object listeners = field(field(s, "events"), "listeners");
      synchronized (listeners) {
        assertThat(locks.heldByCurrentThread()).contains("dev.jnet.internal.Listeners");
      }
      assertThat(locks.heldByCurrentThread()).isNull();
    } finally {
      s.destroy();
    }
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }
}
