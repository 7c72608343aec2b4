package dev.jnet.cli.scan;

import dev.jnet.Endpoint;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.QuickLine;
import dev.jnet.cli.spec.ScanSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The start-up lane of {@code jnet scan [OPTIONS] TARGET...}, as {@code session.QuickConnect} is
 * for {@code connect}: picocli's model of the command costs about 80 ms at start, more than probing
 * a port. It takes only a plain command line (the options of {@code scan} in their usual spellings,
 * each at most once, and targets that expand); anything else yields empty and picocli parses it, so
 * every message and exit code stays picocli's. {@code QuickScanTest} checks that both lanes build
 * the same {@link ScanSpec}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class QuickScan {
  private static final Set<String> FLAGS = Set.of("--verbose", "--open");
  private static final Set<String> VALUED = Set.of("--timeout", "--concurrency", "--format");

  private QuickScan() {}

  /**
   * Reads a plain {@code scan} command line.
   *
   * @param args the whole command line, starting with {@code scan}
   * @return what to do, or empty if picocli should parse it
   */
  public static Optional<ScanSpec> parse(String... args) {
    if (args.length < 2 || !args[0].equals("scan")) {
      return Optional.empty();
    }
    Optional<QuickLine> line = QuickLine.read(args, FLAGS, VALUED, Map.of("-v", "--verbose"));
    try {
      return line.isEmpty() || line.get().words().isEmpty() ? Optional.empty() : spec(line.get());
    } catch (RuntimeException bad) {
      // picocli parses it again and reports the problem in its usual words
      return Optional.empty();
    }
  }

  private static Optional<ScanSpec> spec(QuickLine line) {
    Duration timeout =
        DurationConverter.parse(or(line.value("--timeout"), ScanSpec.DEFAULT_TIMEOUT));
    String concurrency = or(line.value("--concurrency"), ScanSpec.DEFAULT_CONCURRENCY);
    String format = or(line.value("--format"), "text");
    if (!concurrency.matches("[0-9]{1,9}")
        || Integer.parseInt(concurrency) < 1
        || timeout.isZero()
        || !(format.equals("text") || format.equals("json"))) {
      return Optional.empty();
    }
    List<Endpoint> all = new ArrayList<>();
    List<Path> skipped = new ArrayList<>();
    for (String t : line.words()) {
      all.addAll(ScanTarget.expand(t, skipped));
      if (all.size() > ScanTarget.MAX_TARGETS) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new ScanSpec(
            all,
            skipped,
            timeout,
            Integer.parseInt(concurrency),
            format.equals("json"),
            line.has("--open")));
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
