package dev.jnet.cli.scan;

import dev.jnet.Endpoint;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.ScanSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    List<String> targets = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-")) {
        targets.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-v", "--verbose", "--open" -> {
          if (value != null || values.putIfAbsent(flag(name), "") != null) {
            return Optional.empty();
          }
        }
        case "--timeout", "--concurrency", "--format" -> {
          if (value == null) {
            if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
              return Optional.empty();
            }
            value = args[++i];
          }
          if (values.putIfAbsent(name, value) != null) {
            return Optional.empty(); // given twice: picocli says so
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    try {
      return targets.isEmpty() ? Optional.empty() : spec(targets, values);
    } catch (RuntimeException bad) {
      // picocli parses it again and reports the problem in its usual words
      return Optional.empty();
    }
  }

  private static String flag(String name) {
    return name.equals("-v") ? "--verbose" : name;
  }

  private static Optional<ScanSpec> spec(List<String> targets, Map<String, String> values) {
    Duration timeout =
        DurationConverter.parse(values.getOrDefault("--timeout", ScanSpec.DEFAULT_TIMEOUT));
    String concurrency = values.getOrDefault("--concurrency", ScanSpec.DEFAULT_CONCURRENCY);
    String format = values.getOrDefault("--format", "text");
    if (!concurrency.matches("[0-9]{1,9}")
        || Integer.parseInt(concurrency) < 1
        || timeout.isZero()
        || !(format.equals("text") || format.equals("json"))) {
      return Optional.empty();
    }
    List<Endpoint> all = new ArrayList<>();
    List<Path> skipped = new ArrayList<>();
    for (String t : targets) {
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
            values.containsKey("--open")));
  }
}
