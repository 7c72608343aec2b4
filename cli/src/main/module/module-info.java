/** The {@code jnet} command. It uses jnet's API and SPI only; its commands are read by picocli. */
module dev.jnet.cli {
  requires dev.jnet;
  requires dev.jnet.tcp;
  requires dev.jnet.ipc;
  requires info.picocli;
  requires io.netty.buffer;
  requires jdk.unsupported; // sun.misc.Signal, for SIGTERM and SIGINT

  opens dev.jnet.cli to
      info.picocli;
}
