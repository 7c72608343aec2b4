/**
 * jnet's core: the API ({@code dev.jnet}: Net, Socket, Server, Endpoint), the message layer ({@code
 * dev.jnet.message}) and the SPI transports implement ({@code dev.jnet.spi}). Node's rules live
 * here once, in packages no other module reads. Transports are {@link java.util.ServiceLoader}
 * providers: {@code dev.jnet.tcp} and {@code dev.jnet.ipc} on the module path are bound without a
 * {@code requires}.
 */
module dev.jnet {
  requires transitive io.netty.transport; // the SPI names Netty's channels and event loops
  requires transitive io.netty.common;
  requires transitive java.logging; // spi.Log hands out the dev.jnet logger
  requires io.netty.buffer;
  requires io.netty.handler; // TLS: SslHandler, SniHandler
  requires io.netty.codec;
  requires io.netty.transport.unix.common;
  requires io.netty.transport.classes.epoll;
  requires io.netty
      .transport
      .epoll
      .linux
      .x86_64; // only the native library: resolved so epoll can load it
  requires io.netty.transport.classes.io_uring; // the opt-in io_uring engine
  requires io.netty
      .transport
      .io_uring
      .linux
      .x86_64; // only the native library: resolved so io_uring can load it

  exports dev.jnet;
  exports dev.jnet.message;
  exports dev.jnet.spi;
  exports dev.jnet.tls;

  uses dev.jnet.spi.Transport;
}
