package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.serve.ListenServer;
import dev.jnet.cli.session.Conversation;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.Endpoints;
import dev.jnet.cli.spec.ListenSpec;
import dev.jnet.cli.spec.PeerRule;
import dev.jnet.cli.spec.PeerRules;
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

/**
 * {@code jnet listen}: accept connections and talk with them through stdin/stdout, a command, or
 * each other.
 */
@Command(
    name = "listen",
    header = "Accept connections: talk through stdin/stdout, run a command per client, or broker.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Listens on ENDPOINT and prints 'listening on ENDPOINT' on stderr, then a line per peer"
          + " accepted (a Unix peer with its pid, uid, gid and command line)."
          + " Without -k it serves one client with stdin and stdout, as connect does, and exits"
          + " when that conversation ends. With -k it serves clients concurrently until SIGINT"
          + " (exit 130) or SIGTERM (exit 0): what they send goes to stdout, labelled with"
          + " --format, and stdin goes to every client connected at the time; at the end of stdin"
          + " every client, and every later one, gets our EOF (a half-close: it can still send).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet listen tcp://127.0.0.1:7000             one client, like nc -l",
      "  jnet listen -k --format text unix:/tmp/s     many clients, labelled lines",
      "  jnet listen -k --exec 'tr a-z A-Z' tcp://:0  a command per client",
      "  jnet listen -k --broker tcp://:7000          a chat: each client to the others",
      "  jnet listen -k --allow uid:1000 unix:@svc    only this user's processes",
      "  jnet listen --framing lines --format hex tcp://:7000",
    })
final class ListenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin TlsFlags.Server tls;

  @Mixin DumpOptions dump;

  @Parameters(
      paramLabel = "ENDPOINT",
      converter = EndpointConverter.class,
      description = {"Where to listen:", Endpoints.FORMS_1, Endpoints.FORMS_2})
  Endpoint endpoint;

  @Option(
      names = {"-k", "--keep-open"},
      description = "Serve clients concurrently until a signal.")
  boolean keep;

  @Option(
      names = "--max-conns",
      paramLabel = "N",
      defaultValue = "0",
      description = "Refuse connections beyond N at once (0: no limit).")
  int maxConns;

  @Option(
      names = "--allow",
      paramLabel = "RULE",
      converter = PeerRule.Converter.class,
      description =
          "Accept only peers matching a RULE: 10.0.0.0/8, ::1, uid:N, gid:N (repeatable).")
  List<PeerRule> allow = new ArrayList<>();

  @Option(
      names = "--deny",
      paramLabel = "RULE",
      converter = PeerRule.Converter.class,
      description = "Refuse peers matching a RULE (repeatable; wins over --allow).")
  List<PeerRule> deny = new ArrayList<>();

  @Option(
      names = {"-e", "--exec"},
      paramLabel = "CMD",
      description =
          "Run CMD (with sh -c) per client: its stdin gets the client's data, its stdout goes back.")
  String exec;

  @Option(names = "--broker", description = "Send every client's data to every other client.")
  boolean broker;

  @Option(
      names = "--linger",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Without -k: after the end of stdin, wait this long for the client's end. Default: ${DEFAULT-VALUE}.")
  Duration linger;

  @Option(
      names = "--first-frame-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "With --framing: drop (ETIMEDOUT) a client with no whole message this long after accept;"
              + " 0: never. Default: ${DEFAULT-VALUE}.")
  Duration firstFrameTimeout;

  @Option(
      names = "--frame-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "With --framing: drop (ETIMEDOUT) a client whose frame is not whole this long after its"
              + " first byte; 0: never. Default: ${DEFAULT-VALUE}.")
  Duration frameTimeout;

  /**
   * Returns the parsed command as a value.
   *
   * @return the listen request
   * @throws ParameterException if options contradict each other
   */
  ListenSpec toSpec() {
    if (maxConns < 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-conns must not be negative: " + maxConns);
    }
    if (exec != null && broker) {
      throw new ParameterException(spec.commandLine(), "--exec and --broker cannot be combined");
    }
    if (broker && !keep) {
      keep = true; // a broker with one client has nobody to broker for
    }
    return new ListenSpec(
        endpoint,
        keep,
        maxConns,
        new PeerRules(allow, deny),
        exec,
        broker,
        new Conversation.Settings(
            linger, dump.format, dump.input, dump.crlf, dump.framing, common.verbose),
        false,
        firstFrameTimeout,
        frameTimeout);
  }

  @Override
  public Integer call() throws Exception {
    return new ListenServer(
            toSpec(), spec.commandLine().getErr(), TlsFlags.serverTls(tls, spec.commandLine()))
        .run();
  }
}
