package dev.jnet.cli.scan;

import dev.jnet.Endpoint;
import dev.jnet.cli.spec.EndpointConverter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.TypeConversionException;

/**
 * Expands a {@code scan} argument into endpoints: {@code HOST:PORTS} or {@code tcp://HOST:PORTS}
 * where PORTS is a list of ports and ranges ({@code 7000-7010,8080}), {@code unix:/path} with a
 * glob in its last part ({@code unix:/run/*.sock}), or {@code unix:@name}.
 */
public final class ScanTarget {
  public static final int MAX_TARGETS = 65536;

  private ScanTarget() {}

  /**
   * Expands one argument.
   *
   * @param text the argument
   * @return its endpoints, in order
   * @throws TypeConversionException if it is malformed
   */
  public static List<Endpoint> expand(String text) {
    return expand(text, new ArrayList<>());
  }

  /**
   * Expands one argument, leaving out what a Unix glob matched that is not a socket (a path named
   * without a glob is always kept: its probe says {@code not-a-socket}).
   *
   * @param text the argument
   * @param skipped receives the glob's matches that are not sockets
   * @return its endpoints, in order
   * @throws TypeConversionException if it is malformed
   */
  public static List<Endpoint> expand(String text, List<Path> skipped) {
    if (text.startsWith("unix:")) {
      return unix(text, skipped);
    }
    String rest = text.startsWith("tcp://") ? text.substring(6) : text;
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1) {
      throw new TypeConversionException(
          "invalid scan target '" + text + "': expected HOST:PORTS or unix:GLOB");
    }
    String host = rest.substring(0, colon);
    List<Endpoint> out = new ArrayList<>();
    for (int port : ports(rest.substring(colon + 1), text)) {
      out.add(new Endpoint.Tcp(host, port));
    }
    return out;
  }

  public static TreeSet<Integer> ports(String spec, String text) {
    TreeSet<Integer> ports = new TreeSet<>();
    for (String part : spec.split(",")) {
      try {
        int dash = part.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
        if (lo < 1 || hi > 65535 || lo > hi) {
          throw new NumberFormatException();
        }
        for (int p = lo; p <= hi; p++) {
          ports.add(p);
        }
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "invalid ports '"
                + part
                + "' in '"
                + text
                + "': expected 1-65535, lists and ranges (7000-7010,8080)");
      }
    }
    return ports;
  }

  private static List<Endpoint> unix(String text, List<Path> skipped) {
    Endpoint parsed = new EndpointConverter().convert(text);
    Endpoint.Unix u = (Endpoint.Unix) parsed;
    if (u.isAbstract() || !u.path().matches(".*[*?\\[{].*")) {
      return List.of(u);
    }
    Path pattern = Path.of(u.path());
    Path dir = pattern.getParent();
    if (dir == null || dir.toString().matches(".*[*?\\[{].*")) {
      throw new TypeConversionException(
          "invalid scan target '" + text + "': a glob only in the last part");
    }
    List<Endpoint> out = new ArrayList<>();
    try (DirectoryStream<Path> matches =
        Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
      for (Path p : matches) {
        if (isSocketOrUnknown(p)) {
          out.add(new Endpoint.Unix(p.toString(), false));
        } else {
          skipped.add(p);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    out.sort((a, b) -> a.address().compareTo(b.address()));
    return out;
  }

  /**
   * Tells whether a glob's match is worth a probe: a socket (through a link too), or a file whose
   * type cannot be read (the probe then says why). Regular files, directories and the like are not
   * what a glob of sockets asks for.
   */
  private static boolean isSocketOrUnknown(Path p) {
    try {
      return ((Integer) Files.getAttribute(p, "unix:mode") & 0170000) == 0140000;
    } catch (IOException | UnsupportedOperationException e) {
      return true;
    }
  }
}
