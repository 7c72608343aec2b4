/**
 * What {@code /proc} tells about sockets and processes: the socket tables and who holds each
 * socket, command lines, uids and gids.
 */
package dev.jnet.cli.proc;
