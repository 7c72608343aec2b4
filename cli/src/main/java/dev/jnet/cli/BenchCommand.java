package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.cli.bench.Bench;
import dev.jnet.cli.dump.Json;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.Endpoints;
import dev.jnet.cli.spec.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jnet bench}: throughput, latency percentiles and connection rate against any echo server.
 */
@Command(
    name = "bench",
    header = "Measure an echo server: throughput, latency percentiles, connections per second.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Runs three bounded measurements in this one process against ENDPOINT, which must"
          + " echo what it receives (jnet echo, or any echo server): stream throughput,"
          + " request-response latency with one message in flight, and connections per second.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet echo tcp://127.0.0.1:7000 & jnet bench tcp://127.0.0.1:7000",
      "  jnet bench --only latency --requests 100000 unix:/tmp/echo.sock",
      "  jnet bench --format json --duration 5s unix:@echo",
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TlsFlags.Client tls;

  @Mixin CommonOptions common;

  @Parameters(
      paramLabel = "ENDPOINT",
      converter = EndpointConverter.class,
      description = {"An echo server:", Endpoints.FORMS_1, Endpoints.FORMS_2})
  Endpoint endpoint;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How long the throughput and connection runs last. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "10000",
      description =
          "Round trips for the latency run (bounded by --duration too). Default: ${DEFAULT-VALUE}.")
  int requests;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      defaultValue = "64",
      description = "Latency message size. Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(
      names = "--chunk",
      paramLabel = "BYTES",
      defaultValue = "65536",
      description = "Throughput write size. Default: ${DEFAULT-VALUE}.")
  int chunk;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description = "Connections opened at once in the connection run. Default: ${DEFAULT-VALUE}.")
  int parallel;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Run throughput and connect this long first, unmeasured (the JIT; TLS needs a few"
              + " seconds). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(
      names = "--only",
      paramLabel = "RUN",
      split = ",",
      description = "Run only these: throughput, latency, connect.")
  java.util.List<String> only;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  String format;

  private boolean runs(String name) {
    return only == null || only.contains(name);
  }

  void check() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new ParameterException(
          spec.commandLine(), "--format: expected text or json: " + format);
    }
    if (requests < 1 || size < 1 || chunk < 1 || parallel < 1 || duration.isZero()) {
      throw new ParameterException(
          spec.commandLine(),
          "--requests, --size, --chunk, --parallel and --duration" + " must be positive");
    }
    if (only != null && !java.util.List.of("throughput", "latency", "connect").containsAll(only)) {
      throw new ParameterException(
          spec.commandLine(), "--only: expected throughput, latency or connect");
    }
  }

  @Override
  public Integer call() throws Exception {
    check();
    Bench bench;
    try {
      bench = new Bench(endpoint, tls.options().orElse(null));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("endpoint", endpoint.toString());
    result.put("engine", Net.engine());
    if (!warmup.isZero()) { // the JIT first: TLS's ciphers are slow until C2 compiles them
      if (runs("throughput")) {
        bench.throughput(warmup, chunk);
      }
      if (runs("connect")) {
        bench.connections(warmup, parallel);
      }
      result.put("warmup", warmup.toMillis() / 1000.0);
    }
    if (runs("throughput")) {
      result.put("throughput", bench.throughput(duration, chunk));
    }
    if (runs("latency")) {
      result.put("latency", bench.latency(requests, size, duration.multipliedBy(5)));
    }
    if (runs("connect")) {
      result.put("connect", bench.connections(duration, parallel));
    }
    print(result);
    return ExitCodes.OK;
  }

  @SuppressWarnings("unchecked")
  private void print(Map<String, Object> r) {
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      out.println(Json.write(r));
      out.flush();
      return;
    }
    out.println("bench " + r.get("endpoint") + " (" + r.get("engine") + ")");
    if (r.get("throughput") instanceof Map<?, ?> t) {
      out.printf(
          "throughput  %s MiB/s  (%s s, %s bytes echoed, %s-byte writes)%n",
          t.get("mibPerSec"), t.get("seconds"), t.get("bytes"), t.get("chunk"));
    }
    if (r.get("latency") instanceof Map<?, ?> l) {
      out.printf(
          "latency     p50 %sus  p90 %sus  p99 %sus  p99.9 %sus  max %sus  (%s x %s bytes)%n",
          l.get("p50us"),
          l.get("p90us"),
          l.get("p99us"),
          l.get("p999us"),
          l.get("maxUs"),
          l.get("requests"),
          l.get("size"));
    }
    if (r.get("connect") instanceof Map<?, ?> c) {
      out.printf(
          "connect     %s conn/s  (%s in %s s, %s at a time%s)%n",
          c.get("perSec"),
          c.get("connections"),
          c.get("seconds"),
          c.get("parallel"),
          Long.valueOf(0).equals(c.get("failed")) ? "" : ", " + c.get("failed") + " failed");
    }
    out.flush();
  }
}
