package dev.jnet.cli.session;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.FramingMode;
import dev.jnet.cli.spec.InputMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
    String endpoint = null;
    Map<String, String> values = new HashMap<>();
    boolean verbose = false;
    boolean crlf = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-")) {
        if (endpoint != null) {
          return Optional.empty();
        }
        endpoint = arg;
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
        case "-v", "--verbose" -> {
          if (verbose || value != null) {
            return Optional.empty();
          }
          verbose = true;
        }
        case "--crlf" -> {
          if (crlf || value != null) {
            return Optional.empty();
          }
          crlf = true;
        }
        case "--connect-timeout",
            "--linger",
            "--format",
            "--input",
            "--framing",
            "--peer-uid",
            "--peer-gid" -> {
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
    if (endpoint == null) {
      return Optional.empty();
    }
    String timeout = values.get("--connect-timeout");
    String linger = values.get("--linger");
    String format = values.get("--format");
    String input = values.get("--input");
    String framing = values.get("--framing");
    try {
      Duration t =
          DurationConverter.parse(timeout == null ? ConnectSpec.DEFAULT_CONNECT_TIMEOUT : timeout);
      Duration l = DurationConverter.parse(linger == null ? ConnectSpec.DEFAULT_LINGER : linger);
      if (t.isZero() || l.isZero()) {
        return Optional.empty();
      }
      Integer uid = id(values.get("--peer-uid"));
      Integer gid = id(values.get("--peer-gid"));
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
