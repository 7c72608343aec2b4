package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.scan.ScanReport;
import dev.jnet.cli.scan.ScanTarget;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.ScanSpec;
import java.nio.file.Path;
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
      defaultValue = ScanSpec.DEFAULT_TIMEOUT,
      converter = DurationConverter.class,
      description = "How long one probe may take. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = ScanSpec.DEFAULT_CONCURRENCY,
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

  /**
   * Returns the parsed command as a value, its targets expanded.
   *
   * @return the scan request
   * @throws ParameterException if an option is out of range or a target is malformed
   */
  ScanSpec toSpec() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new ParameterException(
          spec.commandLine(), "--format: expected text or json: " + format);
    }
    if (concurrency < 1 || timeout.isZero()) {
      throw new ParameterException(
          spec.commandLine(), "--concurrency and --timeout must be positive");
    }
    List<Endpoint> all = new ArrayList<>();
    List<Path> skipped = new ArrayList<>();
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
    return new ScanSpec(all, skipped, timeout, concurrency, format.equals("json"), onlyOpen);
  }

  @Override
  public Integer call() throws Exception {
    return ScanReport.run(toSpec(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
