package dev.jnet.cli;

import picocli.CommandLine.Option;

/** Options every command takes, mixed in with {@code @Mixin}. */
final class CommonOptions {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Say more on stderr: addresses, the I/O engine, and a stack trace with an error.")
  boolean verbose;
}
