package dev.jnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java honest: every {@code java} block of the README is, line for line, a
 * region of an example that {@link ExamplesTest} compiles and runs (the lines between {@code //
 * readme:start} and {@code // readme:end}), and every such region is shown in the README.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Where regions live: the examples, and the Node child that NodeChannelIT runs. */
  private static final List<Path> SOURCES =
      List.of(
          ROOT.resolve("examples/src/main/java"),
          ROOT.resolve("core/src/test/java/dev/jnet/message/NodeChildExample.java"));

  @Test
  void everyJavaBlockOfTheReadmeIsARegionOfAnExampleAndEveryRegionIsShown() throws IOException {
    List<String> blocks = blocks(Files.readAllLines(ROOT.resolve("README.md")));
    List<String> regions = regions();
    assertThat(blocks).as("java blocks in README.md").isNotEmpty();
    for (String b : blocks) {
      assertThat(regions)
          .as("a README java block that is no example's region (update the example, then copy it)")
          .contains(b);
    }
    for (String r : regions) {
      assertThat(blocks).as("an example region the README does not show").contains(r);
    }
  }

  /** The README's fenced {@code java} blocks, each without its common indentation. */
  static List<String> blocks(List<String> lines) {
    List<String> out = new ArrayList<>();
    List<String> cur = null;
    for (String line : lines) {
      String t = line.strip();
      if (cur == null && t.equals("```java")) {
        cur = new ArrayList<>();
      } else if (cur != null && t.equals("```")) {
        out.add(dedent(cur));
        cur = null;
      } else if (cur != null) {
        cur.add(line);
      }
    }
    return out;
  }

  private static List<String> regions() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path src : SOURCES) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(src)) {
        files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
      }
      for (Path f : files) {
        List<String> cur = null;
        for (String line : Files.readAllLines(f)) {
          String t = line.strip();
          if (t.startsWith("// readme:start")) {
            cur = new ArrayList<>();
          } else if (t.equals("// readme:end") && cur != null) {
            out.add(dedent(cur));
            cur = null;
          } else if (cur != null) {
            cur.add(line);
          }
        }
      }
    }
    return out;
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
        .collect(Collectors.joining("\n"));
  }
}
