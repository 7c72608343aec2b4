/** {@code jnet scan}: target ranges and the concurrent connect probes behind the command. */
package dev.jnet.cli.scan;
