package dev.jnet.cli.scan;

import dev.jnet.cli.dump.Json;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.spec.ScanSpec;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs a {@code jnet scan} and prints its results: a line per target on stdout and a summary on
 * stderr, or one JSON array; whichever lane parsed the command line ({@code ScanCommand} or {@link
 * QuickScan}).
 */
public final class ScanReport {
  private ScanReport() {}

  /**
   * Probes the targets and prints what was found.
   *
   * @param spec what to probe
   * @param out where the results go
   * @param err where the summary goes
   * @return 0 when every target is open or live, else 10
   * @throws InterruptedException if interrupted while probing
   */
  public static int run(ScanSpec spec, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    List<Scanner.Result> results =
        new Scanner(spec.timeout(), spec.concurrency()).scan(spec.endpoints());
    if (spec.json()) {
      out.println(
          Json.write(
              results.stream()
                  .filter(r -> !spec.onlyOpen() || r.isOpen())
                  .map(Scanner.Result::json)
                  .toList()));
    } else {
      for (Scanner.Result r : results) {
        if (!spec.onlyOpen() || r.isOpen()) {
          out.printf(
              "%-40s %s%s%n",
              r.endpoint(),
              r.state(),
              r.detail().isEmpty() || r.isOpen() ? "" : " (" + r.detail() + ")");
        }
      }
      err.println(summary(results, spec.skipped().size()));
      err.flush();
    }
    out.flush();
    return results.stream().allMatch(Scanner.Result::isOpen)
        ? ExitCodes.OK
        : ExitCodes.SCAN_FOUND_CLOSED;
  }

  private static String summary(List<Scanner.Result> results, int skipped) {
    long up = results.stream().filter(Scanner.Result::isOpen).count();
    return "jnet: "
        + results.size()
        + " target(s): "
        + up
        + " open, "
        + (results.size() - up)
        + " not"
        + (skipped == 0
            ? ""
            : "; skipped "
                + skipped
                + (skipped == 1 ? " match" : " matches")
                + " of a glob that "
                + (skipped == 1 ? "is" : "are")
                + " not a socket");
  }
}
