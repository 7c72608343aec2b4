/**
 * How the CLI shows traffic and results: the dump formats (raw, hex, text, json), their escapes and
 * colours, and JSON output.
 */
package dev.jnet.cli.dump;
