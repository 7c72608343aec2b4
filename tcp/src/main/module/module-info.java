/**
 * The {@code tcp://} transport: a provider of {@link dev.jnet.spi.Transport}, with no API of its
 * own.
 */
module dev.jnet.tcp {
  requires dev.jnet;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.classes.io_uring;
  requires jdk.net; // keep-alive timing

  provides dev.jnet.spi.Transport with
      dev.jnet.tcp.internal.TcpTransport;
}
