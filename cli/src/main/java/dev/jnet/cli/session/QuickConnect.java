package dev.jnet.cli.session;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.FramingMode;
import dev.jnet.cli.spec.InputMode;
import dev.jnet.cli.spec.QuickLine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The start-up lane of the commonest one-shot, {@code jnet connect [OPTIONS] ENDPOINT}: it reads
 * the command line without picocli, whose reflective model of the command tree costs more start-up
 * time (about 80 ms here) than the whole connection. It takes only a plain command line: the
 * options of {@code connect} in their usual spellings ({@code --linger 2s} or {@code --linger=2s}),
 * each at most once, and one endpoint that parses. Anything else (help, a typo, a bad value, an
 * option given twice) yields empty, and picocli parses the command line as usual, so every message
 * and exit code stays picocli's. {@code QuickConnectTest} checks, for a range of command lines,
 * that this lane and picocli build the same {@link ConnectSpec}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class QuickConnect {
  private static final Set<String> FLAGS = Set.of("--verbose", "--crlf");
  private static final Set<String> VALUED =
      Set.of(
          "--connect-timeout",
          "--linger",
          "--format",
          "--input",
          "--framing",
          "--peer-uid",
          "--peer-gid");

  private QuickConnect() {}

  /**
   * Reads a plain {@code connect} command line.
   *
   * @param args the whole command line, starting with {@code connect}
   * @return what to do, or empty if picocli should parse it
   */
  public static Optional<ConnectSpec> parse(String... args) {
    if (args.length < 2 || !args[0].equals("connect")) {
      return Optional.empty();
    }
    Optional<QuickLine> read = QuickLine.read(args, FLAGS, VALUED, Map.of("-v", "--verbose"));
    if (read.isEmpty() || read.get().words().size() != 1) {
      return Optional.empty();
    }
    QuickLine values = read.get();
    String endpoint = values.words().get(0);
    boolean verbose = values.has("--verbose");
    boolean crlf = values.has("--crlf");
    String timeout = values.value("--connect-timeout");
    String linger = values.value("--linger");
    String format = values.value("--format");
    String input = values.value("--input");
    String framing = values.value("--framing");
    try {
      Duration t =
          DurationConverter.parse(timeout == null ? ConnectSpec.DEFAULT_CONNECT_TIMEOUT : timeout);
      Duration l = DurationConverter.parse(linger == null ? ConnectSpec.DEFAULT_LINGER : linger);
      if (t.isZero() || l.isZero()) {
        return Optional.empty();
      }
      Integer uid = id(values.value("--peer-uid"));
      Integer gid = id(values.value("--peer-gid"));
      return Optional.of(
          new ConnectSpec(
              Endpoint.parse(endpoint),
              t,
              l,
              verbose,
              format == null ? Format.RAW : Format.parse(format),
              input == null ? InputMode.RAW : InputMode.parse(input),
              crlf,
              framing == null ? null : FramingMode.parse(framing),
              uid,
              gid));
    } catch (RuntimeException bad) {
      // picocli parses it again and reports the problem in its usual words
      return Optional.empty();
    }
  }

  /**
   * A {@code --peer-uid}/{@code --peer-gid} value: absent, or a plain non-negative number (else
   * picocli's turn).
   */
  private static Integer id(String value) {
    if (value == null) {
      return null;
    }
    if (!value.matches("[0-9]{1,10}")) {
      throw new IllegalArgumentException(value);
    }
    return Integer.valueOf(value); // beyond int: NumberFormatException, picocli's turn
  }
}
