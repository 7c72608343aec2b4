/**
 * One connection's bytes between the socket and stdio, a process or a file: the conversation of
 * {@code connect}, {@code send} and {@code recv}, the one-shot fast path, stdin's pump and stdout's
 * sink with their back-pressure, input decoding and message lines, and the traffic rendering of
 * {@code --verbose}.
 */
package dev.jnet.cli.session;
