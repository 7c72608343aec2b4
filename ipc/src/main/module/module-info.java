/**
 * The IPC transports ({@code unix:}, {@code fd:}, {@code pipe:}), providers of {@link
 * dev.jnet.spi.Transport}, and the IPC API in {@code dev.jnet.ipc}: descriptor passing, handover,
 * socket activation.
 */
module dev.jnet.ipc {
  requires transitive dev.jnet;
  requires io.netty.buffer;
  requires io.netty.transport.unix.common;
  requires io.netty.transport.classes.epoll;
  requires org.newsclub.net.unix;
  requires com.kohlschutter
      .junixsocket
      .nativecommon; // only its native library: resolved so junixsocket loads it
  requires jdk.unsupported; // the descriptor of a JDK server channel, read through sun.misc.Unsafe

  exports dev.jnet.ipc;

  provides dev.jnet.spi.Transport with
      dev.jnet.ipc.internal.UnixTransport,
      dev.jnet.ipc.internal.FdTransport,
      dev.jnet.ipc.internal.pipe.PipeTransport;
}
