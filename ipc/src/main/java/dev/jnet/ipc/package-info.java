/**
 * The IPC features beyond a plain stream, for Unix domain sockets under the epoll engine: {@link
 * dev.jnet.ipc.DescriptorChannel} passes open descriptors between processes, {@link
 * dev.jnet.ipc.Handover} moves a listening socket to a new process without refusing a client, and
 * {@link dev.jnet.ipc.SocketActivation} adopts sockets passed by systemd. The transports themselves
 * ({@code unix:}, {@code fd:}, {@code pipe:}) are found by endpoint and need no import.
 */
package dev.jnet.ipc;
