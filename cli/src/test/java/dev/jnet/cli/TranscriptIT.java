package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CLI transcript of the READMEs ({@code README.md}, {@code cli/README.md}) runs as shown:
 * each block is a shell session run in bash through the real launcher, in a folder of its own, and
 * what each command printed is compared with the transcript (see {@link Transcript} for the format,
 * {@link TranscriptRun} for how a run is compared, {@link TranscriptText} for what is masked). A
 * transcript that no longer matches fails the build and shows what ran instead.
 */
@EnabledOnOs(OS.LINUX)
class TranscriptIT {
  private static final List<Path> DOCUMENTS =
      List.of(Path.of("../README.md"), Path.of("README.md"));

  @TempDir static Path tmp;

  private static Path launcher;
  private static Map<String, String> env;

  @BeforeAll
  static void layOutTheLauncher() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    launcher = LauncherCopy.create(tmp.resolve("jnet"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("jnet"), launcher);
    env = new HashMap<>();
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("NO_COLOR", "1");
    // the launcher's first run records its class-data-sharing archive: once, before the blocks
    Process warm =
        new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true).start();
    assertThat(warm.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(warm.exitValue()).as(new String(warm.getInputStream().readAllBytes())).isZero();
  }

  @TestFactory
  Stream<DynamicTest> everyTranscriptOfTheReadmesRunsAsShown() throws IOException {
    List<Transcript> transcripts = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (Path doc : DOCUMENTS) {
      transcripts.addAll(Transcript.parse(doc));
      all.append(Files.readString(doc));
    }
    assertThat(transcripts).hasSizeGreaterThan(3);
    Set<Integer> ports = TranscriptText.portsIn(all.toString());
    boolean root = uid(tmp) == 0;
    TranscriptText text =
        new TranscriptText(
            tmp.resolve("0/demo"),
            Long.toString(ProcessHandle.current().pid()),
            freeOffset(ports),
            ports,
            identity(root));
    List<DynamicTest> tests = new ArrayList<>();
    for (int k = 0; k < transcripts.size(); k++) {
      Transcript t = transcripts.get(k);
      Path dir = tmp.resolve(Integer.toString(k + 1));
      TranscriptText own =
          new TranscriptText(
              dir.resolve("demo"), text.nonce() + "-" + k, text.offset(), ports, text.identity());
      tests.add(
          DynamicTest.dynamicTest(
              t.where(),
              () -> {
                assumeTrue(
                    !mentions(t, "node ") || Spawned.nodeAvailable(), "node is not on the PATH");
                Files.createDirectories(dir);
                new TranscriptRun(t, own, env, launcher, dir, root).run();
              }));
    }
    return tests.stream();
  }

  private static boolean mentions(Transcript t, String word) {
    return t.steps().stream().anyMatch(s -> s.command().contains(word));
  }

  /** An offset that moves each of the ports to a free one (between 17000 and 29999). */
  private static int freeOffset(Set<Integer> ports) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int offset = ThreadLocalRandom.current().nextInt(10_000, 22_000);
      if (new TreeSet<>(ports).stream().allMatch(p -> free(p + offset))) {
        return offset;
      }
    }
    throw new IOException("no free offset for the ports " + ports);
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int uid(Path file) throws IOException {
    return (Integer) Files.getAttribute(file, "unix:uid");
  }

  /** Reads this user's uid, gid and names as root's, as in the transcripts, when not root. */
  private static UnaryOperator<String> identity(boolean root) throws IOException {
    if (root) {
      return UnaryOperator.identity();
    }
    int uid = uid(tmp);
    int gid = (Integer) Files.getAttribute(tmp, "unix:gid");
    PosixFileAttributes names = Files.readAttributes(tmp, PosixFileAttributes.class);
    String owner =
        names.owner().getName() + ":" + names.group().getName() + " (" + uid + ":" + gid + ")";
    return s ->
        s.replace(owner, "root:root (0:0)")
            .replaceAll("\\buid([= ])" + uid + "\\b", "uid$10")
            .replaceAll("\\bgid([= ])" + gid + "\\b", "gid$10");
  }
}
