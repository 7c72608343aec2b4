package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Json;
import dev.jnet.cli.scan.ScanTarget;
import dev.jnet.cli.scan.Scanner;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jnet scan}: which ports are open and which Unix sockets are live, in parallel, in one
 * process.
 */
@Command(
    name = "scan",
    header = "Probe TCP ports and Unix sockets in parallel: open/closed, live/stale.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Tries to connect to every target at once (at most --concurrency in flight, each"
          + " bounded by --timeout) and prints one line per target in order: open, closed,"
          + " filtered (no answer) for TCP; live, stale, missing, denied, not-a-socket for"
          + " Unix sockets. A Unix glob probes the sockets it matches and skips other"
          + " files (counted on stderr); a path named without a glob is always probed."
          + " Exits 10 when any target is not open/live.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet scan 127.0.0.1:7000-7010,8080",
      "  jnet scan 'unix:/run/*.sock' unix:@my-service",
      "  jnet scan --format json --timeout 200ms tcp://[::1]:1-1024",
    })
final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(
      paramLabel = "TARGET",
      arity = "1..*",
      description = {"HOST:PORTS (7000-7010,8080), tcp://HOST:PORTS,", "unix:/GLOB, unix:@NAME."})
  List<String> targets;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "How long one probe may take. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "128",
      description = "Probes in flight at once. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--open", description = "Print only the open/live targets.")
  boolean onlyOpen;

  /** What the Unix globs matched that is not a socket: not probed, counted in the summary. */
  private final List<java.nio.file.Path> skipped = new ArrayList<>();

  List<Endpoint> endpoints() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new ParameterException(
          spec.commandLine(), "--format: expected text or json: " + format);
    }
    if (concurrency < 1 || timeout.isZero()) {
      throw new ParameterException(
          spec.commandLine(), "--concurrency and --timeout must be positive");
    }
    List<Endpoint> all = new ArrayList<>();
    skipped.clear();
    for (String t : targets) {
      try {
        all.addAll(ScanTarget.expand(t, skipped));
      } catch (TypeConversionException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (all.size() > ScanTarget.MAX_TARGETS) {
        throw new ParameterException(
            spec.commandLine(), "too many targets: at most " + ScanTarget.MAX_TARGETS);
      }
    }
    return all;
  }

  @Override
  public Integer call() throws Exception {
    List<Scanner.Result> results = new Scanner(timeout, concurrency).scan(endpoints());
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      out.println(
          Json.write(
              results.stream()
                  .filter(r -> !onlyOpen || r.isOpen())
                  .map(Scanner.Result::json)
                  .toList()));
    } else {
      for (Scanner.Result r : results) {
        if (!onlyOpen || r.isOpen()) {
          out.printf(
              "%-40s %s%s%n",
              r.endpoint(),
              r.state(),
              r.detail().isEmpty() || r.isOpen() ? "" : " (" + r.detail() + ")");
        }
      }
      long up = results.stream().filter(Scanner.Result::isOpen).count();
      spec.commandLine()
          .getErr()
          .println(
              "jnet: "
                  + results.size()
                  + " target(s): "
                  + up
                  + " open, "
                  + (results.size() - up)
                  + " not"
                  + (skipped.isEmpty()
                      ? ""
                      : "; skipped "
                          + skipped.size()
                          + (skipped.size() == 1 ? " match" : " matches")
                          + " of a glob that "
                          + (skipped.size() == 1 ? "is" : "are")
                          + " not a socket"));
      spec.commandLine().getErr().flush();
    }
    out.flush();
    return results.stream().allMatch(Scanner.Result::isOpen)
        ? ExitCodes.OK
        : ExitCodes.SCAN_FOUND_CLOSED;
  }
}
