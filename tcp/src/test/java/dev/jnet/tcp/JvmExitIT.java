package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.testkit.ForeignConnection;
import dev.jnet.testkit.ForeignPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Like Node, a JVM whose main has returned exits once nothing is open, and stays while a server is
 * ref()ed.
 */
class JvmExitIT {
  private static Process start(String scenario) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "-Djnet.transport=" + System.getProperty("jnet.transport", ""),
            ExitProbe.class.getName(),
            scenario)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static String firstLine(Process p) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    return r.readLine();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"close-all", "unref"})
  void jvmExitsByItselfOnceNothingRefdIsOpen(String scenario) throws Exception {
    // close-all: everything closed; unref: a server still listens, unref()ed
    Process p = start(scenario);
    try {
      assertThat(firstLine(p)).startsWith("main returns");
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited by itself").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void jvmStaysAliveAndServesWhileAServerIsRefd() throws Exception {
    Process p = start("ref");
    try {
      String line = firstLine(p);
      assertThat(line).startsWith("main returns");
      Endpoint where = Endpoint.parse(line.substring("main returns ".length()));
      try (ForeignConnection c = ForeignPeer.jdk().connect(where)) {
        c.write("still here".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(c.readExactly(10, Duration.ofSeconds(10)), StandardCharsets.UTF_8))
            .isEqualTo("still here");
      }
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }
}
