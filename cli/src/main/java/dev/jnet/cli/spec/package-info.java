/**
 * What a command asks its engine to do, parsed and checked: the specs of connect, listen, echo and
 * relay, relay ends, input and framing modes, peer rules, the converters of durations and
 * endpoints; and how a run ends: the one exit-code table ({@link dev.jnet.cli.spec.ExitCodes}, also
 * the help text's), {@link dev.jnet.cli.spec.CommandFailure} and {@link
 * dev.jnet.cli.spec.FileError}.
 */
package dev.jnet.cli.spec;
