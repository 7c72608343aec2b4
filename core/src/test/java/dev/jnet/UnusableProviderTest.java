package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.spi.Capability;
import dev.jnet.spi.Transport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider the engine cannot drive (a {@link Transport} that is not a {@code ChannelTransport}) is reported when
 * the engine starts, and an endpoint only it claims fails with a message naming it, not with "no transport".
 */
class UnusableProviderTest {
  /** Claims {@code pipe:}, but gives the engine nothing to drive. */
  public static final class Opaque implements Transport {
    @Override
    public String scheme() {
      return "pipe";
    }

    @Override
    public Set<Capability> capabilities(Endpoint endpoint, String engine) {
      return Set.of();
    }
  }

  /** The child: connects to a {@code pipe:} endpoint and prints the error it gets. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Socket s = Net.createConnection(Endpoint.parse("pipe:/tmp/jnet-unusable"));
      s.onError(e -> System.out.println(e.code() + " " + e.getMessage()));
      s.onClose(hadError -> System.exit(0));
      Thread.sleep(20_000);
      System.exit(3);
    }
  }

  @Test
  void theEngineNamesAProviderItCannotUse(@TempDir Path dir) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(Transport.class.getName()), Opaque.class.getName() + "\n");
    String cp = dir + File.pathSeparator + System.getProperty("java.class.path");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, Child.class.getName())).start();
    try {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = read(p.getInputStream().readAllBytes());
      String err = read(p.getErrorStream().readAllBytes());
      assertThat(p.exitValue()).as(err).isZero();
      assertThat(err).contains("the transport provider " + Opaque.class.getName()
          + " (pipe:) is not a dev.jnet.spi.ChannelTransport; jnet's engine cannot drive it and ignores it");
      assertThat(out).startsWith("ERR_NO_TRANSPORT ERR_NO_TRANSPORT: no usable transport for pipe:/tmp/jnet-unusable ("
          + Opaque.class.getName() + " claims it but is not a ChannelTransport)");
    } finally {
      p.destroyForcibly();
    }
  }

  private static String read(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
