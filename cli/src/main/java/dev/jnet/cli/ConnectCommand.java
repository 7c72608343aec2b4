package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.session.ConnectSession;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.Endpoints;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnet connect}: stdin to the socket, the socket to stdout, with a correct half-close. */
@Command(
    name = "connect",
    header = "Send stdin to a socket and print what comes back, with a correct half-close.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Connects to ENDPOINT, sends stdin to it and prints what it sends on stdout, as raw bytes."
          + " At the end of stdin jnet shuts down its sending side (a half-close) and keeps printing"
          + " until the peer ends too, for at most --linger: if that expires, it says so and exits 5."
          + " When the peer ends first, jnet prints what arrived and exits 0.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  echo hi | jnet connect tcp://127.0.0.1:7000",
      "  printf 'GET / HTTP/1.0\\r\\n\\r\\n' | jnet connect tcp://example.com:80",
      "  jnet connect --linger 2m tcp://[::1]:7000 < query.bin > reply.bin",
      "  jnet connect --connect-timeout 500ms tcp://10.0.0.7:22",
      "  jnet connect --peer-uid 0 unix:@svc      (only if the server runs as root)",
      "  echo hi | jnet connect unix:/run/app.sock",
      "  echo hi | jnet connect --format hex tcp://127.0.0.1:7000",
      "  echo '01 02 ff' | jnet connect --input hex tcp://127.0.0.1:7000",
    })
final class ConnectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin DumpOptions dump;

  @Mixin TlsFlags.Client tls;

  @Parameters(
      paramLabel = "ENDPOINT",
      converter = EndpointConverter.class,
      description = {"Where to connect:", Endpoints.FORMS_1, Endpoints.FORMS_2})
  Endpoint endpoint;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = ConnectSpec.DEFAULT_CONNECT_TIMEOUT,
      converter = DurationConverter.class,
      description = "Give up connecting after this long (exit 4). Default: ${DEFAULT-VALUE}.")
  Duration connectTimeout;

  @Option(
      names = "--linger",
      paramLabel = "DURATION",
      defaultValue = ConnectSpec.DEFAULT_LINGER,
      converter = DurationConverter.class,
      description = {
        "After the end of stdin, wait this long for the peer to end (exit 5 if it does not).",
        "Durations: 500ms, 10s, 1.5s, 2m; a bare number is seconds. Default: ${DEFAULT-VALUE}."
      })
  Duration linger;

  @Option(
      names = "--peer-uid",
      paramLabel = "UID",
      description = {
        "Require the server to run as this uid (unix: by SO_PEERCRED, pipe: by the owner of its FIFO);",
        "otherwise fail with EACCES before sending anything. Not available for tcp: (ENOTSUP)."
      })
  Integer peerUid;

  @Option(
      names = "--peer-gid",
      paramLabel = "GID",
      description = "Require the server to run as this gid; as --peer-uid.")
  Integer peerGid;

  /**
   * Returns the parsed command as a value.
   *
   * @return the connect request
   * @throws ParameterException if an option is out of range
   */
  ConnectSpec toSpec() {
    return new ConnectSpec(
        endpoint,
        positive(connectTimeout, "--connect-timeout"),
        positive(linger, "--linger"),
        common.verbose,
        dump.format,
        dump.input,
        dump.crlf,
        dump.framing,
        id(peerUid, "--peer-uid"),
        id(peerGid, "--peer-gid"));
  }

  private Integer id(Integer id, String option) {
    if (id != null && id < 0) {
      throw new ParameterException(spec.commandLine(), option + " must be 0 or more");
    }
    return id;
  }

  private Duration positive(Duration d, String option) {
    if (d.isZero()) {
      throw new ParameterException(spec.commandLine(), option + " must be longer than 0");
    }
    return d;
  }

  @Override
  public Integer call() throws Exception {
    java.util.Optional<dev.jnet.tls.TlsOptions> t;
    try {
      t = tls.options();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return new ConnectSession(toSpec(), spec.commandLine().getErr(), t.orElse(null)).run();
  }
}
