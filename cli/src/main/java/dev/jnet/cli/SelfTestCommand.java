package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.Net;
import dev.jnet.Server;
import dev.jnet.cli.scan.QuickScan;
import dev.jnet.cli.scan.ScanReport;
import dev.jnet.cli.serve.EchoServer;
import dev.jnet.cli.serve.QuickEcho;
import dev.jnet.cli.session.ConnectSession;
import dev.jnet.cli.session.QuickConnect;
import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.ConnectSpec;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.spec.ScanSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jnet selftest} (hidden): runs {@code jnet echo} and {@code jnet connect} against each
 * other in one process over loopback TCP and checks the bytes, then scans the echo's port. It
 * proves the engine works, and the launcher runs it once to record the class-data-sharing archive
 * that makes later start-ups fast, so it goes through the same code paths as the real commands, the
 * command-line parsing included.
 */
@Command(
    name = "selftest",
    hidden = true,
    mixinStandardHelpOptions = true,
    description =
        "Echo 256 KiB between an in-process 'jnet echo' and 'jnet connect' over loopback TCP.")
final class SelfTestCommand implements Callable<Integer> {
  private static final int PAYLOAD = 256 * 1024;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter quiet = new PrintWriter(Writer.nullWriter());
    EchoCommand echoArgs = parse("echo", "tcp://127.0.0.1:0");
    // and through the start-up lane of echo (QuickEcho), whose classes the archive then holds too
    EchoServer echo =
        new EchoServer(
            QuickEcho.parse("echo", "tcp://127.0.0.1:0").orElseGet(echoArgs::toSpec), quiet);
    long start = System.nanoTime();
    Server server = echo.start();
    Endpoint at = server.address().orElseThrow();
    // the connect goes through the start-up lane of a real one-shot connect (QuickConnect, WarmUp),
    // so that the
    // class-data-sharing archive the launcher records from this run holds its classes too
    WarmUp.start();
    ConnectSpec connect =
        QuickConnect.parse("connect", "--connect-timeout", "5s", "--linger", "5s", at.toString())
            .orElseThrow();
    byte[] payload = new byte[PAYLOAD];
    new SplittableRandom(7).nextBytes(payload);
    ByteArrayOutputStream received = new ByteArrayOutputStream(PAYLOAD);
    new ConnectSession(connect, quiet)
        .run(Channels.newChannel(new ByteArrayInputStream(payload)), Channels.newChannel(received));
    // and a one-port scan through its start-up lane (QuickScan), as `jnet scan HOST:PORT` runs it
    ScanSpec scan = QuickScan.parse("scan", "--timeout", "5s", at.toString()).orElseThrow();
    int scanned = ScanReport.run(scan, quiet, quiet);
    echo.shutDown(server, "selftest");
    if (scanned != ExitCodes.OK) {
      throw new CommandFailure(ExitCodes.ERROR, "selftest: a scan found " + at + " not open");
    }
    if (!Arrays.equals(payload, received.toByteArray())) {
      throw new CommandFailure(
          ExitCodes.ERROR,
          "selftest: sent " + PAYLOAD + " bytes, got back " + received.size() + " that differ");
    }
    spec.commandLine()
        .getOut()
        .printf(
            "ok: %d bytes echoed over %s in %d ms (%s)%n",
            PAYLOAD, at, (System.nanoTime() - start) / 1_000_000, Net.engine());
    return ExitCodes.OK;
  }

  @SuppressWarnings("unchecked")
  private static <T> T parse(String... args) {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
    return (T) parsed.subcommand().commandSpec().userObject();
  }
}
