package dev.jnet.cli.spec;

import dev.jnet.Endpoint;
import dev.jnet.PeerCredentials;
import dev.jnet.Socket;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code --allow}/{@code --deny} rule: an address or CIDR block ({@code 127.0.0.1}, {@code
 * 10.0.0.0/8}, {@code ::1/128}) for TCP peers, {@code uid:N} or {@code gid:N} for Unix peers.
 */
public sealed interface PeerRule {
  /**
   * Tells whether the peer of this socket matches.
   *
   * @param socket an accepted connection
   * @return true if it matches
   */
  public boolean matches(Socket socket);

  /** Parses a rule. */
  public static PeerRule parse(String text) {
    if (text.startsWith("uid:") || text.startsWith("gid:")) {
      try {
        int id = Integer.parseInt(text.substring(4));
        return text.startsWith("uid:") ? new Uid(id) : new Gid(id);
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "invalid rule '" + text + "': expected uid:N, gid:N or an address/CIDR");
      }
    }
    return Cidr.parse(text);
  }

  /** A user id. */
  public record Uid(int uid) implements PeerRule {
    @Override
    public boolean matches(Socket socket) {
      return socket.peerCredentials().map(PeerCredentials::uid).filter(u -> u == uid).isPresent();
    }
  }

  /** A group id. */
  public record Gid(int gid) implements PeerRule {
    @Override
    public boolean matches(Socket socket) {
      return socket.peerCredentials().map(PeerCredentials::gid).filter(g -> g == gid).isPresent();
    }
  }

  /** An address block. */
  public record Cidr(byte[] network, int prefix, String text) implements PeerRule {
    public static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String host = slash < 0 ? text : text.substring(0, slash);
      try {
        if (!host.matches("[0-9a-fA-F:.\\[\\]]+")) {
          throw new UnknownHostException(host);
        }
        byte[] addr = InetAddress.getByName(host).getAddress();
        int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > addr.length * 8) {
          throw new NumberFormatException();
        }
        return new Cidr(addr, prefix, text);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new TypeConversionException(
            "invalid rule '"
                + text
                + "': expected an address or CIDR (10.0.0.0/8), uid:N or gid:N");
      }
    }

    @Override
    public boolean matches(Socket socket) {
      Optional<byte[]> peer =
          socket
              .remoteAddress()
              .filter(e -> e instanceof Endpoint.Tcp)
              .flatMap(e -> address(((Endpoint.Tcp) e).host()));
      return peer.filter(this::contains).isPresent();
    }

    public boolean contains(byte[] addr) {
      if (addr.length != network.length) {
        return false;
      }
      int shift = addr.length * 8 - prefix;
      return new BigInteger(1, addr)
          .shiftRight(shift)
          .equals(new BigInteger(1, network).shiftRight(shift));
    }

    private static Optional<byte[]> address(String host) {
      try {
        return Optional.of(InetAddress.getByName(host).getAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }

    @Override
    public String toString() {
      return text;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }

  /** Picocli's converter. */
  public final class Converter implements ITypeConverter<PeerRule> {
    @Override
    public PeerRule convert(String value) {
      return PeerRule.parse(value);
    }
  }
}
