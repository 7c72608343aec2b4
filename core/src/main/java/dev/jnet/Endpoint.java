package dev.jnet;

import java.util.Objects;

/**
 * Where a socket connects or a server listens, written in the one grammar that the API and the
 * {@code jnet} CLI share:
 *
 * <pre>
 *   tcp://HOST:PORT     HOST: a name, an IPv4 address, [an IPv6 address] or empty; PORT: 0 to 65535
 *                       (a listener with an empty host binds 127.0.0.1; all interfaces only when written:
 *                        tcp://0.0.0.0:PORT for IPv4 only, tcp://[::]:PORT for IPv6 and IPv4)
 *   unix:/PATH          a Unix domain socket file (a relative path is allowed)
 *   unix:@NAME          a Linux abstract-namespace Unix socket (no file)
 *   pipe:NAME           a named pipe under the runtime directory; pipe:/DIR names the pipe's directory itself
 *   fd:N                an inherited descriptor (systemd's LISTEN_FDS, a parent's socket)
 * </pre>
 *
 * <p>Threading: endpoints are immutable values, safe to share between threads.
 */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Unix, Endpoint.Pipe, Endpoint.Fd {

  /** The grammar, as shown in parse errors. */
  String GRAMMAR =
      "tcp://HOST:PORT, tcp://[IPv6]:PORT, unix:/path, unix:@abstract-name, pipe:NAME, fd:N";

  /**
   * Parses an endpoint string.
   *
   * @param text the endpoint, such as {@code tcp://127.0.0.1:7000} or {@code unix:/run/app.sock}
   * @return the endpoint
   * @throws IllegalArgumentException if the text does not follow the grammar; the message shows the
   *     grammar
   * @throws NullPointerException if {@code text} is null
   */
  static Endpoint parse(String text) {
    return EndpointParser.parse(text);
  }

  /**
   * Returns the scheme: {@code tcp}, {@code unix}, {@code pipe} or {@code fd}.
   *
   * @return the scheme
   */
  String scheme();

  /**
   * Returns the address as Node prints it in error messages: {@code 127.0.0.1:7000}, {@code
   * [::1]:7000}, {@code /run/app.sock}, {@code @name}.
   *
   * @return the address text
   */
  String address();

  /**
   * A TCP endpoint.
   *
   * @param host a host name or IP literal (IPv6 without brackets); empty means 127.0.0.1 for
   *     listeners and localhost for clients
   * @param port 0 to 65535 (0: an ephemeral port, for listeners)
   */
  record Tcp(String host, int port) implements Endpoint {
    /**
     * Validates the parts.
     *
     * @param host the host
     * @param port the port
     */
    public Tcp {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range 0..65535: " + port);
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    }

    @Override
    public String scheme() {
      return "tcp";
    }

    @Override
    public String address() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
      return "tcp://" + address();
    }
  }

  /**
   * A Unix domain socket, at a path or in Linux's abstract namespace.
   *
   * @param path the socket file's path, or the abstract name without its leading {@code @}
   * @param isAbstract whether {@code path} is an abstract-namespace name
   */
  record Unix(String path, boolean isAbstract) implements Endpoint {
    /**
     * Validates the parts.
     *
     * @param path the path or name
     * @param isAbstract whether it is an abstract name
     */
    public Unix {
      Objects.requireNonNull(path, "path");
      if (path.isEmpty()) {
        throw new IllegalArgumentException("empty Unix socket path");
      }
      if (path.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("Unix socket path contains a NUL byte");
      }
    }

    @Override
    public String scheme() {
      return "unix";
    }

    @Override
    public String address() {
      return isAbstract ? "@" + path : path;
    }

    @Override
    public String toString() {
      return "unix:" + address();
    }
  }

  /**
   * A named pipe.
   *
   * @param name a name resolved under the runtime directory, or an absolute directory path
   */
  record Pipe(String name) implements Endpoint {
    /**
     * Validates the name.
     *
     * @param name the name
     */
    public Pipe {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty pipe name");
      }
      if (name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("pipe name contains a NUL byte");
      }
    }

    @Override
    public String scheme() {
      return "pipe";
    }

    @Override
    public String address() {
      return name;
    }

    @Override
    public String toString() {
      return "pipe:" + name;
    }
  }

  /**
   * An inherited file descriptor.
   *
   * @param fd the descriptor number, 0 or more
   */
  record Fd(int fd) implements Endpoint {
    /**
     * Validates the number.
     *
     * @param fd the descriptor
     */
    public Fd {
      if (fd < 0) {
        throw new IllegalArgumentException("negative file descriptor: " + fd);
      }
    }

    @Override
    public String scheme() {
      return "fd";
    }

    @Override
    public String address() {
      return "fd:" + fd;
    }

    @Override
    public String toString() {
      return "fd:" + fd;
    }
  }
}
