package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.serve.ListenServer;
import dev.jnet.cli.session.Conversation;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.Endpoints;
import dev.jnet.cli.spec.InputMode;
import dev.jnet.cli.spec.ListenSpec;
import dev.jnet.cli.spec.PeerRules;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnet recv}: accept one connection and write what it sends to stdout. */
@Command(
    name = "recv",
    header = "Accept one connection and write what it sends to stdout.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Listens on ENDPOINT ('listening on ENDPOINT' on stderr), accepts one connection,"
          + " writes everything it sends to stdout, ends our side once the peer ended its"
          + " own, and exits 0. Sends nothing.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet recv tcp://:7000 > upload.bin      then: jnet send tcp://HOST:7000 F",
      "  jnet recv unix:/tmp/drop.sock | tar x",
    })
final class RecvCommand implements Callable<Integer> {
  private static final Duration AFTER_PEER_END = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(
      paramLabel = "ENDPOINT",
      converter = EndpointConverter.class,
      description = {"Where to listen:", Endpoints.FORMS_1, Endpoints.FORMS_2})
  Endpoint endpoint;

  ListenSpec toSpec() {
    return new ListenSpec(
        endpoint,
        false,
        0,
        new PeerRules(List.of(), List.of()),
        null,
        false,
        new Conversation.Settings(
            AFTER_PEER_END, Format.RAW, InputMode.RAW, false, null, common.verbose),
        true,
        Duration.ZERO,
        Duration.ZERO);
  }

  @Override
  public Integer call() throws Exception {
    return new ListenServer(toSpec(), spec.commandLine().getErr(), null).run();
  }
}
