package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain JDK TCP client for the {@code *IT} tests, so that the client side costs no process. */
final class TcpPeer {
  private TcpPeer() {}

  /** The address of a {@code tcp://HOST:PORT} endpoint that jnet printed. */
  static InetSocketAddress address(String endpoint) {
    Matcher m = Pattern.compile("tcp://(.+):(\\d+)").matcher(endpoint);
    assertThat(m.matches()).as(endpoint).isTrue();
    return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
  }

  /** Sends {@code text}, half-closes, and returns everything the server sent until its end. */
  static String roundTrip(InetSocketAddress at, String text, Duration timeout) throws IOException {
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
