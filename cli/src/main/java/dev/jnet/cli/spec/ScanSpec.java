package dev.jnet.cli.spec;

import dev.jnet.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code jnet scan} was asked to do, its targets expanded.
 *
 * @param endpoints what to probe, in the order given
 * @param skipped what the Unix globs matched that is not a socket (not probed, counted on stderr)
 * @param timeout how long one probe may take
 * @param concurrency how many probes may be in flight at once
 * @param json whether to print JSON rather than a line per target
 * @param onlyOpen whether to print only the open/live targets
 */
public record ScanSpec(
    List<Endpoint> endpoints,
    List<Path> skipped,
    Duration timeout,
    int concurrency,
    boolean json,
    boolean onlyOpen) {
  /**
   * The default of {@code --timeout}: a constant here, so the start-up lane ({@code
   * scan.QuickScan}) shares it without loading the picocli command.
   */
  public static final String DEFAULT_TIMEOUT = "1s";

  /** The default of {@code --concurrency}. */
  public static final String DEFAULT_CONCURRENCY = "128";

  /** Copies the lists. */
  public ScanSpec {
    endpoints = List.copyOf(endpoints);
    skipped = List.copyOf(skipped);
  }
}
