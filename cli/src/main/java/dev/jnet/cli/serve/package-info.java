/**
 * The servers behind {@code listen}, {@code echo} and {@code relay}: each runs in the one serve
 * loop ({@link dev.jnet.cli.serve.ServeLoop}: signal, stop accepting, grace period, exit code),
 * logs its connections and peers, and explains a refused listen.
 */
package dev.jnet.cli.serve;
