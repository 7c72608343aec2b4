package dev.jnet.cli;

import dev.jnet.cli.spec.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code jnet} command: without a subcommand it prints the usage. */
@Command(
    name = "jnet",
    mixinStandardHelpOptions = true,
    versionProvider = JnetCommand.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Socket debugging with Node.js's net semantics: half-close done right, Node's error codes,"
          + " one endpoint grammar for every transport.",
    },
    optionListHeading = "%nOptions:%n",
    subcommands = {
      ConnectCommand.class,
      ListenCommand.class,
      RelayCommand.class,
      SendCommand.class,
      RecvCommand.class,
      ResolveCommand.class,
      ScanCommand.class,
      InfoCommand.class,
      BenchCommand.class,
      CompletionCommand.class,
      EchoCommand.class,
      SelfTestCommand.class,
      ManPageCommand.class,
      HelpCommand.class
    },
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n", // the list itself: ExitCodes.help(), set by Main
    footerHeading = "%nEndpoints:%n",
    footer = {
      "  tcp://HOST:PORT   IPv4 address or host name; IPv6 as tcp://[::1]:PORT;",
      "                    to listen, tcp://:7000 binds 127.0.0.1; port 0 picks one",
      "  unix:/PATH        Unix domain socket; unix:@NAME in Linux's abstract namespace",
      "  pipe:NAME         named pipe",
      "  fd:N              inherited file descriptor",
      "  -, exec:CMD, file:PATH, fifo:PATH, listen:ENDPOINT   stream ends of relay",
      "",
      "Examples:",
      "  jnet echo tcp://127.0.0.1:7000                  an echo server on port 7000",
      "  echo hi | jnet connect tcp://127.0.0.1:7000     send a line, print the reply",
      "  jnet listen -k --format text unix:/tmp/s.sock   many clients, labelled",
      "  jnet relay --dump listen:tcp://:8080 tcp://127.0.0.1:80   a sniffing proxy",
      "  jnet scan 127.0.0.1:7000-7010 'unix:/run/*.sock'      what is up",
      "  jnet info /run/app.sock                         who listens, who is connected",
      "  source <(jnet completion bash)                  shell completion",
      "  jnet help connect                               one command's options",
      "",
      "Errors are one line with Node's code: jnet: connect ECONNREFUSED 127.0.0.1:9",
    })
final class JnetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** No command given: the usage goes to stderr and the exit code says so, as ncat and socat do. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Reads the version that Maven wrote into {@code version.properties}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = JnetCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "jnet " + p.getProperty("version", "unknown"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + "), "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch"),
      };
    }
  }
}
