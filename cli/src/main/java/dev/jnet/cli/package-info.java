/**
 * The {@code jnet} command: {@link dev.jnet.cli.Main} and the picocli commands ({@code *Command},
 * each parsing its options into a spec), with the engines they call beside them (conversations,
 * listen, relay, echo, the serve loop). Sibling packages hold the parts that are not commands:
 * {@code dump} (formats), {@code proc} ({@code /proc} readers), {@code scan} (probes) and {@code
 * system} (signals, exit, terminal, logging).
 */
package dev.jnet.cli;
