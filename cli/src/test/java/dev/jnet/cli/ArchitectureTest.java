package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the whole project, read from the main sources of every module (this module's
 * tests run beside the others' sources): no module uses another's internals, the CLI uses only API
 * and SPI, and the API packages never use Netty (their signatures are checked separately, by core's
 * {@code ApiSurfaceTest}).
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * A type reference: an import or a fully qualified name in code (string literals are removed
   * first).
   */
  private static final Pattern REFERENCE =
      Pattern.compile("\\b((?:dev\\.jnet|io\\.netty)(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

  @Test
  void noModuleUsesAnotherModulesInternals() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (String module : List.of("core", "tcp", "ipc", "cli")) {
      forEachReference(
          module,
          (file, pkg) -> {
            String owner = ownerOf(pkg);
            if (owner != null && !owner.equals(module) && pkg.contains(".internal")) {
              offenders.add(file + " uses " + pkg);
            }
          });
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void theCliUsesOnlyTheApiAndTheSpiOfJnet() throws IOException {
    List<String> offenders = new ArrayList<>();
    forEachReference(
        "cli",
        (file, pkg) -> {
          if (pkg.startsWith("dev.jnet")
              && !pkg.startsWith("dev.jnet.cli")
              && !List.of("dev.jnet", "dev.jnet.spi", "dev.jnet.message", "dev.jnet.tls")
                  .contains(pkg)) {
            offenders.add(file + " uses " + pkg);
          }
        });
    assertThat(offenders).isEmpty();
  }

  @Test
  void theExamplesUseOnlyThePublicApi() throws IOException {
    List<String> offenders = new ArrayList<>();
    forEachReference(
        "examples",
        (file, pkg) -> {
          if (pkg.startsWith("io.netty")
              || pkg.startsWith("dev.jnet")
                  && !pkg.startsWith("dev.jnet.examples")
                  && !List.of("dev.jnet", "dev.jnet.message", "dev.jnet.tls", "dev.jnet.ipc")
                      .contains(pkg)) {
            offenders.add(file + " uses " + pkg);
          }
        });
    assertThat(offenders).isEmpty();
  }

  @Test
  void theApiPackagesDoNotUseNetty() throws IOException {
    List<String> offenders = new ArrayList<>();
    forEachReference(
        "core",
        (file, pkg) -> {
          boolean api =
              file.contains("/dev/jnet/")
                  && (file.matches(".*/dev/jnet/[A-Z]\\w*\\.java")
                      || file.matches(".*/dev/jnet/(message|tls)/\\w+\\.java"));
          if (api && pkg.startsWith("io.netty")) {
            offenders.add(file + " uses " + pkg);
          }
        });
    assertThat(offenders).isEmpty();
  }

  /** The module whose sources hold a package, or null for a package outside jnet. */
  private static String ownerOf(String pkg) {
    if (pkg.startsWith("dev.jnet.tcp")) {
      return "tcp";
    }
    if (pkg.startsWith("dev.jnet.ipc")) {
      return "ipc";
    }
    if (pkg.startsWith("dev.jnet.cli")) {
      return "cli";
    }
    return pkg.startsWith("dev.jnet") ? "core" : null;
  }

  private interface ReferenceVisitor {
    void visit(String file, String pkg);
  }

  private static void forEachReference(String module, ReferenceVisitor visitor) throws IOException {
    Path src = ROOT.resolve(module).resolve("src/main/java");
    assertThat(src).as("the sources of " + module + " beside this module").isDirectory();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String code = STRING.matcher(Files.readString(f)).replaceAll("\"\"");
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          visitor.visit(ROOT.relativize(f).toString(), m.group(1));
        }
      }
    }
  }
}
