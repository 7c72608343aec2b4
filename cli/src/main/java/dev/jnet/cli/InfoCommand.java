package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Json;
import dev.jnet.cli.proc.ProcNet;
import dev.jnet.cli.proc.ProcessInfo;
import dev.jnet.cli.serve.Listening;
import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.EndpointConverter;
import dev.jnet.cli.spec.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnet info}: what a socket path or a port is, who listens, who is connected. */
@Command(
    name = "info",
    header = "Tell what a socket path or a TCP port is: who listens, who is connected.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "For a path (or unix:/path, unix:@name): the file's type, mode and owner, whether a"
          + " server is live there or the socket is stale, the listening process (from a probe"
          + " connection's peer credentials) and its clients, each with its process (the peers"
          + " of the server's ends, from ss -x of iproute2). For a port (or tcp://HOST:PORT): the listening sockets and the established"
          + " connections, each with its process, from /proc/net/tcp{,6} and /proc/*/fd.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet info /run/docker.sock",
      "  jnet info 7000",
      "  jnet info --format json unix:@my-service",
      "  jnet info --tls 8443",
    })
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(
      paramLabel = "PATH|PORT",
      description = "A socket path, unix:..., a port number or tcp://HOST:PORT.")
  String target;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--tls",
      description =
          "Also handshake with the server (TLS, verification reported, not enforced) and show its"
              + " certificate chain: subject, issuer, expiry, SHA-256 fingerprint.")
  boolean tls;

  @Option(
      names = "--servername",
      paramLabel = "NAME",
      description = "With --tls: the SNI name to ask for and verify against.")
  String servername;

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CommandFailure(ExitCodes.USAGE, "info: --format: expected text or json: " + format);
    }
    Map<String, Object> info =
        target.matches("\\d+")
            ? port(Integer.parseInt(target), null)
            : target.startsWith("tcp://") ? tcp(target) : unix(target);
    if (tls) {
      probeTls(info);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      out.println(Json.write(info));
    } else {
      info.forEach((k, v) -> out.printf("%-12s %s%n", k, text(v)));
    }
    out.flush();
    Object state = info.get("state");
    return "missing".equals(state) || "closed".equals(state) ? ExitCodes.REFUSED : ExitCodes.OK;
  }

  /** Handshakes with the target and adds what it agreed and the certificates it presented. */
  private void probeTls(Map<String, Object> info) {
    Endpoint where =
        target.matches("\\d+")
            ? new Endpoint.Tcp("127.0.0.1", Integer.parseInt(target))
            : target.startsWith("tcp://") || target.startsWith("unix:")
                ? new EndpointConverter().convert(target)
                : new Endpoint.Unix(target, false);
    dev.jnet.tls.TlsOptions o = dev.jnet.tls.TlsOptions.defaults().withRejectUnauthorized(false);
    if (servername != null) {
      o = o.withServername(servername);
    }
    dev.jnet.tls.TlsSocket s =
        dev.jnet.tls.Tls.connect(
            where,
            dev.jnet.SocketOptions.defaults().withConnectTimeout(java.time.Duration.ofSeconds(5)),
            o.withHandshakeTimeout(java.time.Duration.ofSeconds(5)));
    try {
      s.secureConnected().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("protocol", s.protocol().orElse("?"));
      t.put("cipher", s.cipher().orElse("?"));
      s.alpnProtocol().ifPresent(a -> t.put("alpn", a));
      t.put("authorized", s.isAuthorized());
      s.authorizationError().ifPresent(e -> t.put("reason", e.code()));
      info.put("tls", t);
      List<Object> chain = new ArrayList<>();
      s.peerCertificateChain().forEach(c -> chain.add(dev.jnet.cli.dump.TlsReport.certificate(c)));
      info.put("certificates", chain);
    } catch (java.util.concurrent.ExecutionException e) {
      info.put("tls", "handshake failed: " + e.getCause().getMessage());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      info.put("tls", "handshake failed: " + e);
    } finally {
      s.destroy();
    }
  }

  private static String text(Object v) {
    if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        return "none";
      }
      StringBuilder sb = new StringBuilder();
      for (Object o : list) {
        sb.append(sb.length() == 0 ? "" : "\n             ").append(text(o));
      }
      return sb.toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder();
      m.forEach((k, x) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(x));
      return sb.toString();
    }
    return String.valueOf(v);
  }

  private Map<String, Object> tcp(String text) {
    Endpoint.Tcp e = (Endpoint.Tcp) new EndpointConverter().convert(text);
    return port(e.port(), e.host());
  }

  private static Map<String, Object> port(int port, String host) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", "tcp port " + port + (host == null || host.isEmpty() ? "" : " on " + host));
    List<ProcNet.TcpRow> rows = ProcNet.tcp();
    Map<Long, Long> owners = ProcNet.socketOwners();
    List<Object> listeners = new ArrayList<>();
    List<Object> peers = new ArrayList<>();
    for (ProcNet.TcpRow r : rows) {
      if (r.localPort() != port || (host != null && !host.isEmpty() && !r.local().equals(host))) {
        continue;
      }
      if (r.state().equals(ProcNet.LISTEN)) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("address", r.local() + ":" + r.localPort());
        l.put("uid", r.uid());
        process(l, owners.get(r.inode()));
        listeners.add(l);
      } else if (r.state().equals(ProcNet.ESTABLISHED)) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("peer", r.remote() + ":" + r.remotePort());
        rows.stream()
            .filter(
                o ->
                    o.localPort() == r.remotePort()
                        && o.remotePort() == port
                        && o.local().equals(r.remote()))
            .findFirst()
            .ifPresent(o -> process(p, owners.get(o.inode())));
        peers.add(p);
      }
    }
    m.put("state", listeners.isEmpty() ? "closed" : "listening");
    m.put("listeners", listeners);
    m.put("peers", peers);
    return m;
  }

  private static void process(Map<String, Object> m, Long pid) {
    if (pid != null) {
      m.put("pid", pid);
      m.put("cmd", ProcessInfo.commandLine(pid));
    }
  }

  private Map<String, Object> unix(String text) {
    Endpoint.Unix e =
        (Endpoint.Unix)
            (text.startsWith("unix:")
                ? new EndpointConverter().convert(text)
                : new Endpoint.Unix(Path.of(text).toAbsolutePath().toString(), false));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", e.toString());
    if (!e.isAbstract() && !file(m, Path.of(e.path()))) {
      return m;
    }
    // the connections first: the probe below is a connection too
    Optional<List<ProcNet.UnixPair>> pairs = ProcNet.unixPairs();
    Listening.Probe probe = Listening.probe(e);
    m.put("state", probe.live() ? "live" : e.isAbstract() ? "missing" : "stale");
    probe
        .owner()
        .ifPresent(
            c -> {
              Map<String, Object> l = new LinkedHashMap<>();
              l.put("pid", c.pid());
              l.put("uid", c.uid());
              l.put("gid", c.gid());
              l.put("cmd", ProcessInfo.commandLine(c.pid()));
              m.put("listener", l);
            });
    String bound = e.isAbstract() ? "@" + e.path() : e.path();
    Map<Long, Long> owners = ProcNet.socketOwners();
    List<Object> conns = new ArrayList<>();
    if (pairs.isPresent()) {
      // the server's accepted ends carry its path; their peers are the clients
      for (ProcNet.UnixPair pair : pairs.get()) {
        if (pair.path().equals(bound)) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("inode", pair.peerInode());
          process(c, owners.get(pair.peerInode()));
          conns.add(c);
        }
      }
    } else {
      // without ss, only the server's own ends can be found: say so
      for (ProcNet.UnixRow r : ProcNet.unix()) {
        if (r.path().equals(bound) && !r.listening() && r.state().equals("03")) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("server_inode", r.inode());
          c.put("client", "unknown: naming a Unix socket's peer needs ss (iproute2)");
          conns.add(c);
        }
      }
    }
    m.put("connections", conns);
    return m;
  }

  /** Describes the file; returns false when there is no socket to probe. */
  private static boolean file(Map<String, Object> m, Path p) {
    try {
      Map<String, Object> a =
          Files.readAttributes(p, "unix:mode,uid,gid,owner,group", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      String type =
          switch (mode & 0170000) {
            case 0140000 -> "socket";
            case 0010000 -> "fifo";
            case 0040000 -> "directory";
            case 0100000 -> "file";
            case 0120000 -> "symlink";
            default -> "other";
          };
      m.put("type", type);
      m.put(
          "mode",
          String.format("%04o", mode & 07777)
              + " "
              + PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
      m.put(
          "owner",
          a.get("owner") + ":" + a.get("group") + " (" + a.get("uid") + ":" + a.get("gid") + ")");
      if (!type.equals("socket")) {
        m.put("state", "not-a-socket");
        return false;
      }
      return true;
    } catch (NoSuchFileException e) {
      m.put("state", "missing");
      return false;
    } catch (IOException e) {
      m.put("state", "denied");
      m.put("detail", String.valueOf(e.getMessage()));
      return false;
    }
  }
}
