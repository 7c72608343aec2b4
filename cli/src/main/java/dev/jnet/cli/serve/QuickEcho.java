package dev.jnet.cli.serve;

import dev.jnet.Endpoint;
import dev.jnet.cli.spec.EchoSpec;
import dev.jnet.cli.spec.QuickLine;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The start-up lane of {@code jnet echo [OPTIONS] ENDPOINT}, as {@code session.QuickConnect} is for
 * {@code connect}: picocli's model of the command costs about 80 ms before the server can listen.
 * It takes only a plain-text server's command line ({@code -q}, {@code -v}, {@code --io-threads N}
 * in their usual spellings, each at most once, and one endpoint that parses); anything else (TLS
 * flags, help, a typo, a bad value) yields empty and picocli parses it, so every message and exit
 * code stays picocli's. {@code QuickEchoTest} checks that both lanes build the same {@link
 * EchoSpec}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class QuickEcho {
  private QuickEcho() {}

  /**
   * Reads a plain {@code echo} command line.
   *
   * @param args the whole command line, starting with {@code echo}
   * @return what to do, or empty if picocli should parse it
   */
  public static Optional<EchoSpec> parse(String... args) {
    if (args.length < 2 || !args[0].equals("echo")) {
      return Optional.empty();
    }
    Optional<QuickLine> read =
        QuickLine.read(
            args,
            Set.of("--quiet", "--verbose"),
            Set.of("--io-threads"),
            Map.of("-q", "--quiet", "-v", "--verbose"));
    if (read.isEmpty() || read.get().words().size() != 1) {
      return Optional.empty();
    }
    QuickLine line = read.get();
    String endpoint = line.words().get(0);
    String ioThreads = line.value("--io-threads");
    if (ioThreads != null && (!ioThreads.matches("[0-9]{1,9}") || ioThreads.startsWith("0"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new EchoSpec(
              Endpoint.parse(endpoint),
              ioThreads == null ? 1 : Integer.parseInt(ioThreads),
              line.has("--quiet"),
              line.has("--verbose")));
    } catch (IllegalArgumentException bad) {
      return Optional.empty(); // picocli reports it in its usual words
    }
  }

  /**
   * Tells whether a command line may be an {@code echo} on the engine's default number of I/O
   * threads, so the engine can be started before the command line is read.
   *
   * @param args the whole command line
   * @return true for {@code echo} without {@code --io-threads}
   */
  public static boolean onDefaultEngine(String... args) {
    if (args.length < 2 || !args[0].equals("echo")) {
      return false;
    }
    for (String arg : args) {
      if (arg.startsWith("--io-threads")) {
        return false;
      }
    }
    return true;
  }
}
