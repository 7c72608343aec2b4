/**
 * The process around the commands: signals, the quick exit of a one-shot, the terminal, and where
 * Netty and jnet log.
 */
package dev.jnet.cli.system;
