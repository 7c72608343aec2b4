package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.cli.serve.ConnectionLog;
import dev.jnet.cli.spec.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The whole command line in-process: help, version, usage errors and their exit codes. */
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void aCommandBuiltAloneReadsExactlyAsInTheWholeTree() {
    picocli.CommandLine tree = Main.commandLine();
    int compared = 0;
    for (String name : tree.getSubcommands().keySet()) {
      Optional<picocli.CommandLine> alone = Main.subcommandAlone(name, "--bogus");
      if (java.util.Set.of("help", "completion", "manpage").contains(name)) {
        assertThat(alone).as(name).isEmpty();
        continue;
      }
      StringWriter help = new StringWriter();
      alone.orElseThrow().usage(new PrintWriter(help));
      StringWriter helpInTree = new StringWriter();
      tree.getSubcommands().get(name).usage(new PrintWriter(helpInTree));
      assertThat(help.toString()).as(name).isEqualTo(helpInTree.toString());
      // a usage error: the same lines, the same exit code
      StringWriter err = new StringWriter();
      int code =
          Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), name, "--bogus");
      picocli.CommandLine whole = Main.commandLine();
      StringWriter errInTree = new StringWriter();
      whole.setOut(new PrintWriter(new StringWriter()));
      whole.setErr(new PrintWriter(errInTree));
      assertThat(code).as(name).isEqualTo(whole.execute(name, "--bogus"));
      whole.getErr().flush();
      assertThat(err.toString()).as(name).isEqualTo(errInTree.toString());
      compared++;
    }
    assertThat(compared).isGreaterThan(8);
  }

  @Test
  void noArgumentsPrintsTheUsageOnStderrAndExitsTwo() {
    assertThat(run()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("Usage: jnet [-hV] COMMAND").contains("Commands:");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void helpListsTheCommandsTheExitCodesAndExamples() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "  connect  ",
            "  echo     ",
            "Exit codes:",
            "130",
            "ECONNREFUSED",
            "tcp://HOST:PORT",
            "echo hi | jnet connect tcp://127.0.0.1:7000")
        .doesNotContain("selftest");
  }

  @Test
  void helpListsEveryExitCodeTheCodeCanReturn() throws IllegalAccessException {
    assertThat(run("--help")).isZero();
    String help = out.toString();
    for (Field f : ExitCodes.class.getDeclaredFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
        assertThat(help).as(f.getName()).containsPattern("\\n +" + f.getInt(null) + "   \\S");
      }
    }
  }

  @Test
  void eachCommandHasHelpWithExamples() {
    assertThat(run("connect", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: jnet connect", "--linger=DURATION", "Examples:");
    assertThat(run("help", "echo")).isZero();
    assertThat(out.toString()).contains("Usage: jnet echo", "--io-threads=N", "jnet echo tcp://:0");
  }

  @Test
  void everyHelpFitsEightyColumns() {
    for (String[] args : new String[][] {{"--help"}, {"connect", "--help"}, {"echo", "--help"}}) {
      out.getBuffer().setLength(0);
      assertThat(run(args)).isZero();
      assertThat(out.toString().lines())
          .as(String.join(" ", args))
          .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }
  }

  @Test
  void everyCommandHasExamplesAndExitCodesWithinEightyColumns() {
    for (String command : COMMANDS) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).as(command).isZero();
      assertThat(out.toString())
          .as(command)
          .contains("Usage: jnet " + command, "Examples:", "  jnet ");
      assertThat(out.toString().lines())
          .as(command)
          .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }
  }

  private static final java.util.List<String> COMMANDS =
      java.util.List.of(
          "connect",
          "listen",
          "relay",
          "echo",
          "send",
          "recv",
          "scan",
          "bench",
          "info",
          "resolve",
          "completion");

  @Test
  void everyCommandsExitCodesAreLinesOfTheOneTableInTheTopLevelsLayout() {
    assertThat(run("--help")).isZero();
    java.util.Set<String> table = new java.util.HashSet<>(out.toString().lines().toList());
    for (String command : COMMANDS) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).isZero();
      String help = out.toString();
      assertThat(help).as(command).containsOnlyOnce("Exit codes:");
      java.util.List<String> codes =
          help.lines()
              .dropWhile(l -> !l.equals("Exit codes:"))
              .skip(1)
              .takeWhile(l -> !l.isEmpty())
              .toList();
      assertThat(codes).as(command).isNotEmpty().first().asString().matches(" +0   ok");
      assertThat(codes)
          .as(command + ": each line is the top-level table's")
          .allMatch(table::contains);
    }
  }

  @Test
  void helpNeverCutsAnEndpointFormOrWrapsAnExample() {
    for (String command : COMMANDS) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).isZero();
      assertThat(out.toString().lines())
          .as(command)
          .noneMatch(l -> l.matches(".*\\b(tcp|unix|pipe|fd|exec|file|fifo):"))
          .noneMatch(l -> l.matches("\\s+/\\S.*"));
      picocli.CommandLine sub = Main.commandLine().getSubcommands().get(command);
      assertThat(sub.getCommandSpec().usageMessage().footer())
          .as(command + ": footer lines picocli would wrap")
          .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }
  }

  @Test
  void theEndpointHelpLinesAreTheCoreGrammar() {
    assertThat(dev.jnet.cli.spec.Endpoints.FORMS_1 + " " + dev.jnet.cli.spec.Endpoints.FORMS_2)
        .isEqualTo(dev.jnet.Endpoint.GRAMMAR + ".");
  }

  @Test
  void theManPageHasEveryCommandAndTheExitCodesAndIsNotInTheHelp() {
    assertThat(run("manpage")).isZero();
    String page = out.toString();
    assertThat(page).startsWith(".TH JNET 1 ").contains(".SH EXIT STATUS", ".B 130");
    for (String command : COMMANDS) {
      assertThat(page).as(command).contains(".SS \"jnet " + command);
    }
    assertThat(page.lines())
        .as("no line a roff request by accident")
        .noneMatch(l -> l.startsWith("'"));
    out.getBuffer().setLength(0);
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).doesNotContain("manpage");
  }

  @Test
  void helpCommandAndHelpOptionPrintTheSame() {
    for (String command : COMMANDS) {
      out.getBuffer().setLength(0);
      assertThat(run("help", command)).isZero();
      String viaHelp = out.toString();
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).isZero();
      assertThat(out.toString()).as(command).isEqualTo(viaHelp);
    }
  }

  @Test
  void theTopLevelHelpListsEveryDocumentedExitCode() {
    assertThat(run("--help")).isZero();
    for (String code : new String[] {"0", "1", "2", "3", "4", "5", "7", "8", "9", "10", "130"}) {
      assertThat(out.toString()).containsPattern("(?m)^ *" + code + "   ");
    }
  }

  @Test
  void versionNamesJnetAndJava() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("jnet ").contains("Java 17").doesNotContain("unknown");
  }

  @Test
  void aBadEndpointIsAUsageErrorShowingTheGrammar() {
    assertThat(run("connect", "127.0.0.1:7000")).isEqualTo(2);
    java.util.List<String> lines = err.toString().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "jnet: invalid endpoint '127.0.0.1:7000': unknown scheme (expected "
                + Endpoint.GRAMMAR
                + ")");
    assertThat(lines.get(1)).startsWith("Usage: jnet connect [-hv] ");
    assertThat(lines.get(lines.size() - 2)).endsWith(" ENDPOINT");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("Try 'jnet connect --help' for more information.");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aBadDurationNamesItsOption() {
    assertThat(run("connect", "--linger", "1d", "tcp://h:1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("jnet: --linger: invalid duration '1d': expected ");
  }

  @Test
  void anOutOfRangeOptionIsAUsageError() {
    assertThat(run("connect", "--linger", "0", "tcp://h:1")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("jnet: --linger must be longer than 0\nUsage: jnet connect");
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrors() {
    assertThat(run("conect", "tcp://h:1")).isEqualTo(2);
    assertThat(err.toString()).contains("conect").contains("connect");
    assertThat(run("echo", "--bogus", "tcp://:0")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--bogus'");
  }

  @Test
  void aNetworkErrorIsOneLineWithItsExitCode() {
    assertThat(run("connect", "--connect-timeout", "5s", "tcp://127.0.0.1:" + ClosedPort.find()))
        .isEqualTo(3);
    assertThat(err.toString()).matches("jnet: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\R");
  }

  @Test
  void selftestEchoesThroughConnectInProcess() {
    assertThat(run("selftest")).isZero();
    assertThat(out.toString()).startsWith("ok: 262144 bytes echoed over tcp://127.0.0.1:");
  }

  @Test
  void exitCodesFollowTheDesign() {
    assertThat(ExitCodes.of(ErrorCode.ECONNREFUSED)).isEqualTo(3);
    assertThat(ExitCodes.of(ErrorCode.ENOENT)).isEqualTo(3);
    assertThat(ExitCodes.of(ErrorCode.ETIMEDOUT)).isEqualTo(4);
    assertThat(ExitCodes.of(ErrorCode.ECONNRESET)).isEqualTo(7);
    assertThat(ExitCodes.of(ErrorCode.EADDRINUSE)).isEqualTo(8);
    assertThat(ExitCodes.of(ErrorCode.EACCES)).isEqualTo(9);
    assertThat(ExitCodes.of(ErrorCode.ENOTFOUND)).isEqualTo(1);
  }

  @Test
  void connectionLinesCarryIdPeerBytesTimeAndError() {
    assertThat(ConnectionLog.acceptLine(1, "127.0.0.1:40312"))
        .isEqualTo("#1 accept 127.0.0.1:40312");
    assertThat(
            ConnectionLog.closeLine(
                2, "[::1]:5", 10, 9, Duration.ofMillis(35), Optional.of(ErrorCode.ECONNRESET)))
        .isEqualTo("#2 close [::1]:5 in=10 out=9 time=35ms error=ECONNRESET");
    assertThat(ConnectionLog.closeLine(3, "h:1", 0, 0, Duration.ZERO, Optional.empty()))
        .isEqualTo("#3 close h:1 in=0 out=0 time=0ms");
  }
}
