package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.serve.EchoServer;
import dev.jnet.cli.spec.EchoSpec;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.Endpoints;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnet echo}: an echo server, each connection piped to itself. */
@Command(
    name = "echo",
    header = "Run an echo server: many clients at once, a log line per connection.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Listens on ENDPOINT and sends every connection's bytes back to it. Prints 'listening on"
          + " ENDPOINT' on stderr once ready (with the real port for port 0), then a line per"
          + " connection accepted and closed. Runs until SIGINT (exit 130) or SIGTERM (exit 0).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet echo tcp://127.0.0.1:7000      loopback, port 7000",
      "  jnet echo tcp://:0                  any free port on 127.0.0.1, printed",
      "  jnet echo -q tcp://0.0.0.0:7000     every interface, no per-connection lines",
      "  jnet echo unix:/tmp/echo.sock       Unix socket, mode 0600",
      "  jnet echo unix:@echo                abstract namespace",
    })
final class EchoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin TlsFlags.Server tls;

  @Parameters(
      paramLabel = "ENDPOINT",
      converter = EndpointConverter.class,
      description = {"Where to listen:", Endpoints.FORMS_1, Endpoints.FORMS_2})
  Endpoint endpoint;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not print a line per connection.")
  boolean quiet;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      defaultValue = "1",
      description = {
        "I/O threads; connections are spread over them.",
        "Default: ${DEFAULT-VALUE}, as Node's one event loop."
      })
  int ioThreads;

  /**
   * Returns the parsed command as a value.
   *
   * @return the echo request
   * @throws ParameterException if an option is out of range
   */
  EchoSpec toSpec() {
    if (ioThreads < 1) {
      throw new ParameterException(
          spec.commandLine(), "--io-threads must be at least 1: " + ioThreads);
    }
    return new EchoSpec(endpoint, ioThreads, quiet, common.verbose);
  }

  @Override
  public Integer call() throws Exception {
    return new EchoServer(
            toSpec(), spec.commandLine().getErr(), TlsFlags.serverTls(tls, spec.commandLine()))
        .run();
  }
}
