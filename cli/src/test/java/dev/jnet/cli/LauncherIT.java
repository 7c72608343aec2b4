package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./jnet} launcher script, run from a copy of the checkout's layout (the script and the
 * built jar, no sources, so it never calls Maven): it prepares the run copy, the native library and
 * the class-data-sharing archive, then execs the JVM.
 */
class LauncherIT extends SpawningTest {
  private Path layout() throws IOException {
    Path root = dir.resolve("checkout");
    LauncherCopy.create(root);
    return root;
  }

  @Test
  void aServerStartedWhileTheLauncherPreparesHoldsNoLockAndRunsFromTheCopies() throws Exception {
    Path root = layout();
    Spawned echo =
        spawn(
            new ProcessBuilder(
                List.of(
                    "env",
                    "--default-signal=INT",
                    root.resolve("jnet").toString(),
                    "echo",
                    "-q",
                    "tcp://127.0.0.1:0")));
    String endpoint = listening(echo);
    // the launcher took its lock to prepare the copies; the JVM it exec'd must not have inherited
    // it, or every
    // later launcher that has something to prepare would wait for this server to exit
    assertThat(openFiles(echo.pid())).noneMatch(f -> f.endsWith(".jnet.lock"));
    Path target = root.resolve("cli/target");
    assertThat(target.resolve("jnet-run.jar")).exists();
    assertThat(target.resolve("jnet.jsa")).exists();
    // it runs on the jlink runtime it made from the JDK, where the JDK has jlink and its modules
    if (Files.isDirectory(Path.of(System.getProperty("java.home"), "jmods"))) {
      assertThat(ProcessHandle.of(echo.pid()).orElseThrow().info().command())
          .hasValue(target.resolve("runtime/bin/java").toString());
    }
    // a second launcher with something to prepare (a newer jar) finishes while the server runs
    Files.setLastModifiedTime(
        target.resolve("jnet.jar"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2_000));
    Spawned connect =
        spawn(
            new ProcessBuilder(List.of(root.resolve("jnet").toString(), "connect", endpoint))
                .redirectInput(file("through the launcher\n")));
    assertThat(connect.awaitExit(WAIT)).as(connect.stderr()).isZero();
    assertThat(connect.stdout()).isEqualTo("through the launcher\n");
  }

  @Test
  void onAJavaHomeOfJdk24OrLaterNettyRunsQuietlyOnUnsafe() throws Exception {
    Optional<Path> jdk = newerJdk(24);
    assumeTrue(jdk.isPresent(), "no JDK 24+ under /usr/lib/jvm");
    Path root = layout();
    String endpoint = echoServer();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(root.resolve("jnet").toString(), "connect", "--linger", "5s", endpoint))
            .redirectInput(file("on a newer JDK\n"));
    pb.environment().put("JAVA_HOME", jdk.get().toString());
    pb.environment().put("JNET_JAVA_OPTS", "-Xlog:class+load=info:stdout");
    Spawned connect = spawn(pb);
    // the first run makes the runtime and the archive from that JDK
    assertThat(connect.awaitExit(Duration.ofSeconds(50))).as(connect.stderr()).isZero();
    assertThat(connect.stdout()).contains("on a newer JDK\n");
    // no warning about Netty's System.loadLibrary (the manifest grants native access), and Netty
    // stays on sun.misc.Unsafe rather than its slower-starting FFM cleaner
    assertThat(connect.stderr()).doesNotContain("WARNING");
    assertThat(connect.stdout())
        .contains("io.netty.util.internal.CleanerJava9 ")
        .doesNotContain("io.netty.util.internal.CleanerJava24Linker ");
  }

  @Test
  void flagsInJnetJavaOptsReachTheJvmAsTyped() throws Exception {
    // a '*' in a flag made it vanish: the launcher's staleness check left bash's nullglob on, and
    // the unquoted expansion of JNET_JAVA_OPTS globbed it away
    Path root = layout();
    Path log = dir.resolve("gc.log");
    ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("jnet").toString(), "--version"));
    pb.environment().put("JNET_JAVA_OPTS", "-Xlog:gc*:file=" + log);
    Spawned version = spawn(pb);
    assertThat(version.awaitExit(Duration.ofSeconds(50))).as(version.stderr()).isZero();
    assertThat(log).as("the log -Xlog:gc* asked for").exists();
  }

  /** A JDK of at least this feature release under /usr/lib/jvm, by its release file. */
  private static Optional<Path> newerJdk(int feature) throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> releaseFeature(h.resolve("release")) >= feature)
          .findFirst();
    }
  }

  private static int releaseFeature(Path release) {
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not a JDK we can read
    }
    return 0;
  }

  private static List<String> openFiles(long pid) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          names.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return names;
  }
}
