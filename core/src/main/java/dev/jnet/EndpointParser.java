package dev.jnet;

import java.util.Objects;

/** The parser behind {@link Endpoint#parse(String)}. */
final class EndpointParser {
  private EndpointParser() {}

  static Endpoint parse(String text) {
    Objects.requireNonNull(text, "endpoint");
    String t = text.strip();
    if (t.startsWith("tcp://")) {
      return tcp(text, t.substring("tcp://".length()));
    }
    if (t.startsWith("unix:")) {
      String raw = t.substring("unix:".length());
      String rest = raw.startsWith("//") ? raw.substring(2) : raw;
      if (rest.startsWith("@")) {
        return wrap(text, () -> new Endpoint.Unix(rest.substring(1), true));
      }
      return wrap(text, () -> new Endpoint.Unix(rest, false));
    }
    if (t.startsWith("pipe:")) {
      return wrap(text, () -> new Endpoint.Pipe(t.substring("pipe:".length())));
    }
    if (t.startsWith("fd:")) {
      String n = t.substring(3);
      if (!n.matches("[0-9]{1,9}")) {
        throw bad(text, "the descriptor must be a number");
      }
      return new Endpoint.Fd(Integer.parseInt(n));
    }
    throw bad(text, "unknown scheme");
  }

  private static Endpoint tcp(String text, String hostPort) {
    if (hostPort.contains("/") || hostPort.contains("?") || hostPort.contains("#")) {
      throw bad(text, "a TCP endpoint is tcp://HOST:PORT with nothing after the port");
    }
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
        throw bad(text, "an IPv6 address is written [ADDRESS]:PORT");
      }
      host = hostPort.substring(1, close);
      port = hostPort.substring(close + 2);
      if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.%a-zA-Z]+") || host.indexOf(':') < 0) {
        throw bad(text, "bad IPv6 address '" + host + "'");
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw bad(text, "missing :PORT");
      }
      host = hostPort.substring(0, colon);
      port = hostPort.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw bad(text, "an IPv6 address must be in brackets: tcp://[::1]:PORT");
      }
      if (!host.isEmpty() && !host.matches("[A-Za-z0-9._-]+")) {
        throw bad(text, "bad host name '" + host + "'");
      }
    }
    if (!port.matches("[0-9]{1,5}")) {
      throw bad(text, "the port must be a number from 0 to 65535");
    }
    int p = Integer.parseInt(port);
    if (p > 65535) {
      throw bad(text, "port " + p + " is out of range 0..65535");
    }
    return new Endpoint.Tcp(host, p);
  }

  private static Endpoint wrap(String text, java.util.function.Supplier<Endpoint> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw bad(text, e.getMessage());
    }
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException(
        "invalid endpoint '" + text + "': " + why + " (expected " + Endpoint.GRAMMAR + ")");
  }
}
