package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.session.ConnectSession;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.DurationConverter;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.Endpoints;
import dev.jnet.cli.spec.FileError;
import dev.jnet.cli.system.QuickExit;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jnet send}: send a file (or stdin), half-close, wait for the peer's end; print nothing.
 */
@Command(
    name = "send",
    header = "Send a file or stdin, then half-close and wait for the peer to close.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Connects to ENDPOINT, sends FILE (stdin when it is - or missing), shuts down the"
          + " sending side, and exits once the peer ended too (what it sends is dropped)."
          + " If the peer has not ended within --linger, exits 5. Prints nothing unless -v.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet send tcp://127.0.0.1:7000 backup.tar",
      "  printf 'reload\\n' | jnet send unix:/run/app/control.sock",
    })
final class SendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(
      index = "0",
      paramLabel = "ENDPOINT",
      converter = EndpointConverter.class,
      description = {"Where to send:", Endpoints.FORMS_1, Endpoints.FORMS_2})
  Endpoint endpoint;

  @Parameters(
      index = "1",
      paramLabel = "FILE",
      arity = "0..1",
      defaultValue = "-",
      description = "What to send; - (the default) is stdin.")
  String file;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Give up connecting after this long (exit 4).")
  Duration connectTimeout;

  @Option(
      names = "--linger",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "After sending, wait this long for the peer to end (exit 5). Default: ${DEFAULT-VALUE}.")
  Duration linger;

  ConnectSpec toSpec() {
    return new ConnectSpec(endpoint, connectTimeout, linger, common.verbose);
  }

  @Override
  public Integer call() throws Exception {
    if (file.equals("-")) {
      FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
      QuickExit.register(stdin);
      return session().run(stdin, "stdin", Channels.newChannel(OutputStream.nullOutputStream()));
    }
    FileChannel in = open(Path.of(file));
    return session().run(in, file, Channels.newChannel(OutputStream.nullOutputStream()));
  }

  private ConnectSession session() {
    return new ConnectSession(toSpec(), spec.commandLine().getErr());
  }

  /** Opens FILE before connecting, so that a file that cannot be read costs no connection. */
  private static FileChannel open(Path path) {
    if (Files.isDirectory(path)) {
      throw new FileError("EISDIR", "is a directory").failure("open", path.toString());
    }
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw FileError.of(e).failure("open", path.toString());
    }
  }
}
