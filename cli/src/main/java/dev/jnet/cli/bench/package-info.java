/** The load generator behind {@code jnet bench}: connects, sends and measures in one process. */
package dev.jnet.cli.bench;
