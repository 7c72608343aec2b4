package dev.jnet.cli;

import dev.jnet.Endpoint;
import dev.jnet.cli.dump.Json;
import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.ExitCodes;
import dev.jnet.cli.spec.RelayEnd;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code jnet resolve}: how an endpoint parses, as JSON. */
@Command(
    name = "resolve",
    header = "Show how an endpoint (or a relay end) parses, as JSON.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Parses ENDPOINT with jnet's one grammar and prints what it means as one JSON"
          + " object: the kind, its fields, the canonical form, and for a host name the"
          + " addresses it resolves to (with --dns). A bad endpoint exits 2 with the reason.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  jnet resolve tcp://[::1]:7000",
      "  jnet resolve --dns tcp://localhost:80",
      "  jnet resolve unix:@my-service",
      "  jnet resolve 'exec:tr a-z A-Z'",
    })
final class ResolveCommand implements Callable<Integer> {
  static final int UNIX_PATH_MAX_BYTES = 107;

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "An endpoint, or a relay end (-, exec:, file:, fifo:, listen:).")
  String text;

  @Option(names = "--dns", description = "Resolve a host name to its addresses.")
  boolean dns;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "json",
      description = "json (the only format: resolve is for machines and for eyes alike).")
  String format;

  @Override
  public Integer call() {
    if (!format.equals("json")) {
      throw new CommandFailure(ExitCodes.USAGE, "resolve: --format json is the only format");
    }
    Map<String, Object> out;
    try {
      out = describe(text, dns);
    } catch (TypeConversionException | IllegalArgumentException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
    }
    spec.commandLine().getOut().println(Json.write(out));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /**
   * Describes an endpoint or relay end as a JSON-ready map.
   *
   * @param text what the user typed
   * @param dns whether to look host names up
   * @return the fields, in a stable order
   */
  static Map<String, Object> describe(String text, boolean dns) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", text);
    RelayEnd end = RelayEnd.parse(text);
    if (end instanceof RelayEnd.Listen l) {
      m.put("kind", "listen");
      m.put("endpoint", endpoint(l.endpoint(), dns));
    } else if (end instanceof RelayEnd.Connect c) {
      m.putAll(endpoint(c.endpoint(), dns));
    } else if (end instanceof RelayEnd.Stdio) {
      m.put("kind", "stdio");
    } else if (end instanceof RelayEnd.Exec e) {
      m.put("kind", "exec");
      m.put("command", e.command());
      m.put("argv", List.of("sh", "-c", e.command()));
    } else if (end instanceof RelayEnd.File f) {
      m.put("kind", "file");
      m.put("path", f.path().toString());
    } else if (end instanceof RelayEnd.Fifo f) {
      m.put("kind", "fifo");
      m.put("path", f.path().toString());
      m.put("create", f.create());
    }
    return m;
  }

  private static Map<String, Object> endpoint(Endpoint e, boolean dns) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", e.scheme());
    m.put("canonical", e.toString());
    m.put("address", e.address());
    if (e instanceof Endpoint.Tcp t) {
      m.put("host", t.host());
      m.put("port", t.port());
      m.put("family", family(t.host()));
      if (t.host().isEmpty()) {
        m.put("listenHost", "127.0.0.1");
      }
      if (dns && family(t.host()).equals("hostname")) {
        m.put("addresses", lookup(t.host()));
      }
    } else if (e instanceof Endpoint.Unix u) {
      m.put("path", u.path());
      m.put("abstract", u.isAbstract());
      int bytes = u.path().getBytes(StandardCharsets.UTF_8).length + (u.isAbstract() ? 1 : 0);
      m.put("bytes", bytes);
      m.put("fits", bytes <= UNIX_PATH_MAX_BYTES);
    } else if (e instanceof Endpoint.Pipe p) {
      m.put("name", p.name());
    } else if (e instanceof Endpoint.Fd f) {
      m.put("fd", f.fd());
    }
    return m;
  }

  private static String family(String host) {
    if (host.isEmpty()) {
      return "any";
    }
    if (host.indexOf(':') >= 0) {
      return "ipv6";
    }
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? "ipv4" : "hostname";
  }

  private static Object lookup(String host) {
    try {
      List<String> addrs = new ArrayList<>();
      for (InetAddress a : InetAddress.getAllByName(host)) {
        addrs.add(a.getHostAddress());
      }
      return addrs;
    } catch (UnknownHostException e) {
      return "ENOTFOUND";
    }
  }
}
