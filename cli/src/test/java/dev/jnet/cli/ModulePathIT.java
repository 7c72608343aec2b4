package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnet on the module path: a program whose module-info says only {@code requires dev.jnet},
 * compiled and run with jnet's jars and their dependencies on {@code --module-path} and nothing
 * else (no {@code --add-modules}, no {@code --add-opens}), reaches every transport, which the
 * module system binds as service providers. Under epoll its {@code pipe:} runs on threads unless
 * junixsocket's package is opened to jnet (one documented flag).
 */
@Timeout(120)
class ModulePathIT {
  @TempDir Path dir;

  @Test
  void aProgramThatRequiresOnlyDevJnetRunsOnEveryTransport() throws Exception {
    String modulePath = modulePath();
    Path src = dir.resolve("src");
    copy("modulepath/module-info.java", src.resolve("module-info.java"));
    copy("modulepath/demo/Main.java", src.resolve("demo/Main.java"));
    Path out = dir.resolve("out");
    ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
    int compiled =
        javac.run(
            System.out,
            System.err,
            "--release",
            "17",
            "--module-path",
            modulePath,
            "-d",
            out.toString(),
            src.resolve("module-info.java").toString(),
            src.resolve("demo/Main.java").toString());
    assertThat(compiled).as("javac").isZero();

    List<String> endpoints =
        List.of(
            "tcp://127.0.0.1:0",
            "unix:" + dir.resolve("demo.sock"),
            "pipe:" + dir.resolve("demo-pipe"));
    String echoed = " tcp=hello over tcp unix=hello over unix pipe=hello over pipe\n";
    // nothing but the module path: every transport works; pipe: under epoll says it runs on
    // threads, since
    // junixsocket does not open the package whose native call makes a FIFO non-blocking
    String plain = run(modulePath, out, "", List.of(), endpoints);
    assertThat(plain)
        .endsWith("engine=epoll" + echoed)
        .contains("WARNING: jnet: pipe: falls back to a thread per direction");
    assertThat(run(modulePath, out, "nio", List.of(), endpoints)).isEqualTo("engine=nio" + echoed);
    // the one documented flag gives pipe: its epoll mode
    assertThat(
            run(
                modulePath,
                out,
                "",
                List.of("--add-opens", "org.newsclub.net.unix/org.newsclub.net.unix=dev.jnet.ipc"),
                endpoints))
        .isEqualTo("engine=epoll" + echoed);
  }

  private static String run(
      String modulePath, Path out, String engine, List<String> flags, List<String> endpoints)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djnet.transport=" + engine));
    cmd.addAll(flags);
    cmd.addAll(
        List.of("--module-path", out + File.pathSeparator + modulePath, "-m", "demo/demo.Main"));
    cmd.addAll(endpoints);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(cmd.toString()).isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isZero();
      return output;
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * jnet's main jars and their runtime dependencies, from this test's class path; no test library.
   */
  private static String modulePath() {
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      boolean jnet = name.matches("jnet-(core|tcp|ipc)-[^-]+(-SNAPSHOT)?\\.jar");
      boolean dependency = entry.contains("/io/netty/") || entry.contains("/com/kohlschutter/");
      if (jnet || dependency) {
        jars.add(entry);
      }
    }
    assertThat(jars)
        .as("jnet's jars on the test class path (a reactor build after package)")
        .anyMatch(j -> j.contains("jnet-core-"))
        .anyMatch(j -> j.contains("jnet-ipc-"));
    return String.join(File.pathSeparator, jars);
  }

  private static void copy(String resource, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = ModulePathIT.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, to);
    }
  }
}
