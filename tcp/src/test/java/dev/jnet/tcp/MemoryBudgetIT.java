package dev.jnet.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The process-wide buffer budget (threat model promise 5) in a child JVM with a 64 MiB heap: six sockets that each
 * buffer 30 MiB, below their own 64 MiB cap, used to end in {@code OutOfMemoryError}; now the writes past the budget
 * answer {@code ERR_BUFFER_FULL}, and writers that respect backpressure still move every byte.
 */
class MemoryBudgetIT {

  private static String run(String scenario) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        "-Djnet.transport=" + System.getProperty("jnet.transport", ""), BufferHog.class.getName(), scenario)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
      assertThat(p.exitValue()).as("exit status; its line: " + line).isZero();
      return line;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void writersIgnoringBackpressureGetBufferFullInsteadOfOutOfMemory() throws Exception {
    String line = run("greedy");
    assertThat(line).startsWith("full=").doesNotStartWith("full=0 ").contains("other=0");
  }

  @Test
  void writersThatWaitForDrainMoveEveryByteUnderTheBudget() throws Exception {
    assertThat(run("polite")).isEqualTo("received=" + (6L * 30 * (1 << 20)));
  }
}
