package dev.jnet.cli;

import dev.jnet.NetException;
import dev.jnet.cli.scan.QuickScan;
import dev.jnet.cli.scan.ScanReport;
import dev.jnet.cli.serve.EchoServer;
import dev.jnet.cli.serve.QuickEcho;
import dev.jnet.cli.session.ConnectSession;
import dev.jnet.cli.session.QuickConnect;
import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.EchoSpec;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.spec.ScanSpec;
import dev.jnet.cli.system.LogLines;
import dev.jnet.cli.system.NettyLogging;
import dev.jnet.cli.system.QuickExit;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code jnet} entry point: parses, runs one command, and exits with its code at once (one-shot
 * commands never wait for Netty's threads). Errors are one line on stderr: {@code jnet: connect
 * ECONNREFUSED 127.0.0.1:9}.
 */
public final class Main {
  private Main() {}

  /**
   * Runs {@code jnet} and exits with the command's exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
    quickStart();
    if (!verbose) {
      NettyLogging.install();
    }
    if (args.length > 1 && args[0].equals("connect")) {
      WarmUp.start();
    } else if (args.length > 1 && args[0].equals("scan") || QuickEcho.onDefaultEngine(args)) {
      WarmUp.startEngine();
    }
    LogLines.install(System.err, verbose);
    int code = runQuickly(args, verbose);
    WarmUp.awaitEngine();
    QuickExit.prepare();
    System.exit(code);
  }

  /**
   * Runs a plain {@code connect}, {@code scan} or {@code echo} without picocli (its model of a
   * command costs about 80 ms at start), anything else through picocli.
   */
  private static int runQuickly(String[] args, boolean verbose) {
    Optional<ConnectSpec> connect = QuickConnect.parse(args);
    if (connect.isPresent()) {
      return connect(connect.get());
    }
    Optional<ScanSpec> scan = QuickScan.parse(args);
    if (scan.isPresent()) {
      return runParsed(new ScanRun(scan.get()), verbose);
    }
    Optional<EchoSpec> echo = QuickEcho.parse(args);
    if (echo.isPresent()) {
      return runParsed(new EchoRun(echo.get()), verbose);
    }
    return run(args);
  }

  /**
   * Turns off start-up costs a short-lived CLI does not need, unless the user set them: registering
   * Netty's JFR events (about 100 ms at the first buffer allocation), scanning the network
   * interfaces for a MAC address to put in channel ids (those ids only appear in Netty's own logs),
   * and starting jnet's keep-alive thread.
   */
  static void quickStart() {
    defaultProperty("io.netty.jfr.enabled", "false");
    defaultProperty("io.netty.machineId", "02:00:00:00:00:01");
    // main waits for every command and then exits: no keep-alive thread to start on the way
    defaultProperty("jnet.keepalive", "false");
    // Netty's leak detector wraps one buffer in 128 and records its stack: the wrapped buffers make
    // the hot buffer calls polymorphic, and a server's C2 recompiled them at every new connection
    // (a third more server CPU per GiB in a short run; docs/profiles.md). Tests set it to paranoid.
    defaultProperty("io.netty.leakDetection.level", "disabled");
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Runs {@code jnet} without exiting.
   *
   * @param args the command line
   * @return the exit code
   */
  static int run(String... args) {
    try {
      return Invocation.of(args).execute();
    } catch (RuntimeException | Error e) {
      // picocli hands only Exceptions to the handler; anything else still gets one line, never a
      // stack trace
      System.err.println("jnet: internal error: " + e);
      if (List.of(args).contains("-v") || List.of(args).contains("--verbose")) {
        e.printStackTrace();
      }
      return ExitCodes.ERROR;
    }
  }

  /**
   * Runs a {@code connect} that {@link QuickConnect} parsed, reporting a failure as picocli's path
   * would.
   *
   * @param spec what to do
   * @return the exit code
   */
  static int connect(ConnectSpec spec) {
    PrintWriter err = new PrintWriter(System.err, true);
    try {
      return new ConnectSession(spec, err).run();
    } catch (Exception e) {
      return report(e, err, spec.verbose());
    } catch (Error e) {
      err.println("jnet: internal error: " + e);
      if (spec.verbose()) {
        e.printStackTrace(err);
      }
      return ExitCodes.ERROR;
    }
  }

  /**
   * Runs a command that a start-up lane parsed, reporting a failure as picocli's path would.
   *
   * @param command the command, given stdout and stderr
   * @param verbose whether a failure shows its stack trace
   * @return the exit code
   */
  static int runParsed(Parsed command, boolean verbose) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    try {
      return command.run(out, err);
    } catch (Exception e) {
      return report(e, err, verbose);
    } catch (Error e) {
      err.println("jnet: internal error: " + e);
      if (verbose) {
        e.printStackTrace(err);
      }
      return ExitCodes.ERROR;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** A command line that a start-up lane read, ready to run. */
  interface Parsed {
    int run(PrintWriter out, PrintWriter err) throws Exception;
  }

  /** A scan, read by {@link QuickScan}. */
  private record ScanRun(ScanSpec spec) implements Parsed {
    @Override
    public int run(PrintWriter out, PrintWriter err) throws Exception {
      return ScanReport.run(spec, out, err);
    }
  }

  /** An echo server, read by {@link QuickEcho}. */
  private record EchoRun(EchoSpec spec) implements Parsed {
    @Override
    public int run(PrintWriter out, PrintWriter err) throws Exception {
      return new EchoServer(spec, err, null).run();
    }
  }

  /**
   * Runs {@code jnet} with its own output streams, without exiting (for tests).
   *
   * @param out where help and results go
   * @param err where errors go
   * @param args the command line
   * @return the exit code
   */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    Invocation run = Invocation.of(args);
    run.commandLine().setOut(out);
    run.commandLine().setErr(err);
    try {
      return run.execute();
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Builds the command tree with jnet's error handling.
   *
   * @return the command line, ready to {@code execute}
   */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new JnetCommand());
    cl.getCommandSpec().usageMessage().exitCodeList(ExitCodes.help());
    // every command's exit codes in the top level's layout, from the one table
    cl.getSubcommands().forEach(Main::exitCodes);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(Main::failure);
    return cl;
  }

  /**
   * The command a command line names, built alone: picocli's model of the whole tree (every
   * command's options, converters and help) costs about 250 ms at start, and a run needs one
   * command. It reads exactly as in the tree ({@code jnet scan} in its usage and errors). The
   * commands that walk the tree ({@code help}, {@code completion}, {@code manpage}), an option or
   * an unknown word first, and no argument at all still get the whole tree.
   *
   * @param args the command line
   * @return the named command alone, ready to execute the arguments after its name
   */
  static Optional<CommandLine> subcommandAlone(String... args) {
    if (args.length == 0 || TREE_COMMANDS.contains(args[0])) {
      return Optional.empty();
    }
    for (Class<?> type : JnetCommand.class.getAnnotation(Command.class).subcommands()) {
      Command c = type.getAnnotation(Command.class);
      if (c != null && c.name().equals(args[0])) {
        CommandLine cl = new CommandLine(type);
        cl.getCommandSpec().name("jnet " + c.name());
        exitCodes(c.name(), cl);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        return Optional.of(cl);
      }
    }
    return Optional.empty();
  }

  /**
   * What runs a command line: the named command alone with the arguments after its name, or the
   * whole tree with all of them.
   */
  private record Invocation(CommandLine commandLine, String[] args) {
    static Invocation of(String... args) {
      return subcommandAlone(args)
          .map(alone -> new Invocation(alone, Arrays.copyOfRange(args, 1, args.length)))
          .orElseGet(() -> new Invocation(Main.commandLine(), args));
    }

    int execute() {
      return commandLine.execute(args);
    }
  }

  private static final Set<String> TREE_COMMANDS = Set.of("help", "completion", "manpage");

  private static void exitCodes(String name, CommandLine sub) {
    Map<String, String> codes = ExitCodes.help(name);
    if (!codes.isEmpty()) {
      sub.getCommandSpec()
          .usageMessage()
          .exitCodeListHeading("%nExit codes:%n")
          .exitCodeList(codes);
    }
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("jnet: " + message(ex));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.print("Usage: " + cmd.getHelp().synopsis(0));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * A bad value's own message, after the option's name: {@code --linger: invalid duration 'x':
   * ...}.
   */
  private static String message(ParameterException ex) {
    if (ex.getCause() instanceof TypeConversionException bad && ex.getArgSpec() != null) {
      return ex.getArgSpec() instanceof OptionSpec option
          ? option.longestName() + ": " + bad.getMessage()
          : bad.getMessage();
    }
    return ex.getMessage();
  }

  private static int failure(Exception ex, CommandLine cmd, ParseResult parsed) {
    return report(ex, cmd.getErr(), isVerbose(parsed));
  }

  /**
   * Reports a command's failure in one line (a stack trace too if verbose) and returns its exit
   * code.
   */
  private static int report(Exception ex, PrintWriter err, boolean verbose) {
    int code;
    if (ex instanceof NetException ne) {
      code = ExitCodes.of(ne.code());
    } else if (ex instanceof CommandFailure cf) {
      code = cf.exitCode();
    } else {
      code = ExitCodes.ERROR;
    }
    boolean expected = ex instanceof NetException || ex instanceof CommandFailure;
    // an unexpected failure still gets one line: its message, without the class name of some
    // library's exception
    String text =
        expected || ex.getMessage() == null
            ? (expected ? ex.getMessage() : ex.toString())
            : ex.getMessage();
    err.println("jnet: " + text);
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean isVerbose(ParseResult parsed) {
    for (ParseResult r = parsed; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
