/**
 * jnet's API, Node's {@code net} for the JVM: {@link dev.jnet.Net} creates {@link dev.jnet.Socket}s
 * and {@link dev.jnet.Server}s on any {@link dev.jnet.Endpoint} (TCP, Unix sockets, named pipes,
 * inherited descriptors), with Node's event contract; options are immutable records ({@link
 * dev.jnet.SocketOptions}, {@link dev.jnet.ServerOptions}); every failure is a {@link
 * dev.jnet.NetException} with Node's {@link dev.jnet.ErrorCode}. Nothing here exposes Netty.
 */
package dev.jnet;
