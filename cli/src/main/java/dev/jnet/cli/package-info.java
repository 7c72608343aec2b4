/**
 * The {@code jnet} command: {@link dev.jnet.cli.Main} and the picocli commands ({@code *Command}),
 * each a thin class that parses its options into a {@code spec} and calls an engine. The engines
 * and their parts live in sibling packages: {@code spec} (what a command asks for, and how a run
 * ends: exit codes and failures), {@code session} (one connection's bytes between the socket and
 * stdio, a process or a file), {@code serve} (listen, echo and relay servers and their one serve
 * loop), {@code bench}, {@code dump} (formats), {@code proc} ({@code /proc} readers), {@code scan}
 * (probes) and {@code system} (signals, exit, terminal, logging).
 */
package dev.jnet.cli;
