package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
