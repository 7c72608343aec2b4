package dev.jnet.cli;

import dev.jnet.cli.dump.Format;
import dev.jnet.cli.serve.Relay;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.RelayEnd;
import dev.jnet.cli.spec.RelaySpec;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnet relay A B}: a socat-style forwarder and sniffer. */
@Command(
    name = "relay",
    header = "Forward bytes between two ends, both ways, and show them (socat-style).",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Copies A to B and B to A, passing each side's end on (half-close both ways)."
          + " When A is listen:ENDPOINT, every accepted connection gets its own B, until"
          + " SIGINT (exit 130) or SIGTERM (exit 0); otherwise jnet exits once both"
          + " directions ended. An end is an endpoint to connect to, or:",
      "  listen:ENDPOINT   (A only) accept connections",
      "  -                 stdin and stdout",
      "  exec:CMD          a child per connection (sh -c CMD): its stdout and stdin",
      "  file:PATH         what arrives is written to PATH; it sends nothing",
      "  fifo:PATH         A: read from the FIFO; B: write into it; ?create makes it",
      "With --dump, the traffic is shown on stdout (stderr when an end is -):"
          + " > from A to B, < from B to A, with connection ids.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet relay --dump listen:tcp://:8080 tcp://127.0.0.1:80    sniff HTTP",
      "  jnet relay listen:unix:/tmp/app.sock tcp://10.0.0.5:9000   Unix to TCP",
      "  jnet relay listen:tcp://:7000 exec:'tr a-z A-Z'            inetd-style",
      "  jnet relay - unix:@svc                                     like connect",
      "  jnet relay listen:tcp://:7000 file:/tmp/upload.bin        capture uploads",
      "  jnet relay --cert c.pem --key k.pem tls:listen:tcp://:8443 tcp://127.0.0.1:80",
      "                                                             terminate TLS",
      "  jnet relay listen:tcp://:8080 tls:tcp://example.com:443    originate TLS",
    })
final class RelayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin TlsFlags.Relay tls;

  @Parameters(
      index = "0",
      paramLabel = "A",
      converter = RelayEnd.Converter.class,
      description = "The first end.")
  RelayEnd a;

  @Parameters(
      index = "1",
      paramLabel = "B",
      converter = RelayEnd.Converter.class,
      description = "The second end.")
  RelayEnd b;

  @Option(
      names = {"-d", "--dump"},
      description = "Show the traffic (text unless --format says otherwise).")
  boolean dump;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = DumpOptions.FormatConverter.class,
      description = "The dump's format: text, hex or ndjson (implies --dump).")
  Format format;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Give up connecting an end after this long. Default: ${DEFAULT-VALUE}.")
  Duration connectTimeout;

  /**
   * Returns the parsed command as a value.
   *
   * @return the relay request
   * @throws ParameterException if the ends cannot be joined
   */
  RelaySpec toSpec() {
    if (b instanceof RelayEnd.Listen) {
      throw new ParameterException(
          spec.commandLine(), "only the first end may listen: relay listen:... B");
    }
    if (a.isStream() && b.isStream()) {
      throw new ParameterException(spec.commandLine(), "one end must be a socket");
    }
    Format f = format == null || format == Format.RAW ? Format.TEXT : format;
    return new RelaySpec(a, b, dump || (format != null && format != Format.RAW), f, connectTimeout);
  }

  @Override
  public Integer call() throws Exception {
    RelaySpec r = toSpec();
    dev.jnet.tls.TlsServerOptions server = null;
    dev.jnet.tls.TlsOptions client = null;
    try {
      if (r.a() instanceof RelayEnd.Listen l && l.tls()) {
        server = tls.server();
      }
      if ((r.a() instanceof RelayEnd.Connect c && c.tls())
          || (r.b() instanceof RelayEnd.Connect d && d.tls())) {
        client = tls.client();
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return new Relay(r, spec.commandLine().getErr(), server, client).run();
  }
}
