package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * io_uring asked for where it is not available: the JVM runs another engine and says so in one
 * warning naming the cause, never silently. (Netty's native transports are switched off here with
 * {@code -Dio.netty.transport.noNative=true}, so the other engine is NIO.)
 */
class IoUringFallbackIT {
  @Test
  void ioUringAskedForButUnavailableFallsBackWithOneWarningNamingTheCause() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Djnet.transport=io_uring",
                "-Dio.netty.transport.noNative=true",
                EngineProbe.class.getName())
            .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(out.strip()).isEqualTo("nio");
      assertThat(err.lines().filter(l -> l.contains("io_uring is not available")))
          .singleElement()
          .asString()
          .contains("-Djnet.transport=io_uring")
          .contains("noNative")
          .endsWith("running on nio instead");
    } finally {
      p.destroyForcibly();
    }
  }
}
