package dev.jnet.ipc.internal;

import dev.jnet.ipc.internal.InheritedSocket.Family;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Hands a socket descriptor that the JDK did not open ({@code fd:N}) to a JDK channel, for the NIO
 * engine. Java 17 cannot wrap a descriptor number, and its channels register only with the JDK's
 * own selector, so a junixsocket channel cannot serve the NIO loop either. Instead: open a JDK
 * channel of the same family and in the same state (a listener bound to a scratch address, or a
 * client connected to a scratch listener), find its descriptor number by its socket inode in {@code
 * /proc}, and {@code dup2(2)} the inherited descriptor over it (through junixsocket's native
 * wrapper); then close the inherited number, as closing the channel under epoll would. The JDK
 * channel now reads, writes, accepts and closes the inherited socket; only the addresses it cached
 * are the scratch ones, so the caller reports the real ones (read off {@code /proc}).
 *
 * <p>Stateless; safe from any thread; each call does blocking file-system work (run it off the
 * loop).
 */
final class NioAdoption {
  private static final Method DUPLICATE =
      find("duplicate", FileDescriptor.class, FileDescriptor.class);
  private static final Method CLOSE = find("close", FileDescriptor.class);

  private NioAdoption() {}

  /**
   * Tells whether descriptors can be adopted here (junixsocket's native library and wrappers are
   * present).
   *
   * @return true if the methods below can work
   */
  static boolean supported() {
    return DUPLICATE != null && CLOSE != null && NonBlocking.supported();
  }

  /**
   * Adopts a listening socket; its descriptor number is closed once the returned channel owns the
   * socket.
   *
   * @param s the inspected descriptor
   * @return a JDK server channel over that socket
   * @throws IOException if it cannot be adopted
   */
  static ServerSocketChannel listening(InheritedSocket s) throws IOException {
    boolean unix = s.family() == Family.UNIX;
    ServerSocketChannel ch =
        unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
    Path dir = unix ? Files.createTempDirectory("jnet-adopt") : null;
    try {
      String inode;
      if (unix) {
        Path p = dir.resolve("l");
        ch.bind(UnixDomainSocketAddress.of(p), 1);
        inode = unixInode(p.toString());
      } else {
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        inode = tcpInode(((InetSocketAddress) ch.getLocalAddress()).getPort());
      }
      takeOver(s.fd(), inode);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Adopts a connected socket; its descriptor number is closed once the returned channel owns the
   * socket.
   *
   * @param s the inspected descriptor
   * @return a JDK channel, connected as far as the JDK knows, over that socket
   * @throws IOException if it cannot be adopted
   */
  static SocketChannel connected(InheritedSocket s) throws IOException {
    boolean unix = s.family() == Family.UNIX;
    Path dir = unix ? Files.createTempDirectory("jnet-adopt") : null;
    SocketChannel client = null;
    try (ServerSocketChannel scratch =
        unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open()) {
      String inode;
      if (unix) {
        scratch.bind(UnixDomainSocketAddress.of(dir.resolve("s")), 1);
        client = SocketChannel.open(StandardProtocolFamily.UNIX);
        client.bind(UnixDomainSocketAddress.of(dir.resolve("c")));
        client.connect(scratch.getLocalAddress());
        inode = unixInode(dir.resolve("c").toString());
      } else {
        scratch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        client = SocketChannel.open(scratch.getLocalAddress());
        inode = tcpInode(((InetSocketAddress) client.getLocalAddress()).getPort());
      }
      try (SocketChannel ignored = scratch.accept()) {
        takeOver(s.fd(), inode);
      }
      return client;
    } catch (IOException | RuntimeException e) {
      if (client != null) {
        client.close();
      }
      throw e;
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Reads a TCP socket's local and remote addresses off {@code /proc/net/tcp} or {@code tcp6}.
   *
   * @param fd the descriptor
   * @return {local, remote}; remote is null for a listener
   * @throws IOException if the socket is not found
   */
  static InetSocketAddress[] tcpAddresses(int fd) throws IOException {
    String inode = inodeOf(Path.of("/proc/self/fd/" + fd));
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String[] c : rows(table)) {
        if (c.length >= 10 && c[9].equals(inode)) {
          InetSocketAddress remote = parseHex(c[2]);
          return new InetSocketAddress[] {parseHex(c[1]), remote.getPort() == 0 ? null : remote};
        }
      }
    }
    throw new IOException("descriptor " + fd + " is not in /proc/net/tcp or tcp6");
  }

  /**
   * Makes {@code fd}'s socket the one behind the descriptor that holds {@code inode}, then closes
   * {@code fd}.
   */
  private static void takeOver(int fd, String inode) throws IOException {
    int target = descriptorHolding(inode);
    FileDescriptor source = FileDescriptorCast.unsafeUsing(fd).getFileDescriptor();
    invoke(DUPLICATE, source, FileDescriptorCast.unsafeUsing(target).getFileDescriptor());
    invoke(CLOSE, source);
  }

  private static int descriptorHolding(String inode) throws IOException {
    String link = "socket:[" + inode + "]";
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path p : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(p).toString().equals(link)) {
            return Integer.parseInt(p.getFileName().toString());
          }
        } catch (IOException e) {
          // closed while we listed (the listing's own descriptor, say)
        }
      }
    }
    throw new IOException("no descriptor of this process holds " + link);
  }

  private static String inodeOf(Path fdLink) throws IOException {
    String link = Files.readSymbolicLink(fdLink).toString();
    if (!link.startsWith("socket:[")) {
      throw new IOException(fdLink + " is " + link + ", not a socket");
    }
    return link.substring("socket:[".length(), link.length() - 1);
  }

  private static String unixInode(String path) throws IOException {
    for (String[] c : rows("/proc/net/unix")) {
      if (c.length >= 8 && c[7].equals(path)) {
        return c[6];
      }
    }
    throw new IOException("scratch socket " + path + " is not in /proc/net/unix");
  }

  private static String tcpInode(int port) throws IOException {
    String suffix = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String[] c : rows(table)) {
        if (c.length >= 10 && c[1].endsWith(suffix) && !c[9].equals("0")) {
          try {
            descriptorHolding(c[9]);
            return c[9];
          } catch (IOException notOurs) {
            // the same port on another address, held elsewhere
          }
        }
      }
    }
    throw new IOException("scratch socket on port " + port + " is not in /proc/net/tcp or tcp6");
  }

  /**
   * Parses {@code /proc/net/tcp}'s {@code HEXADDR:HEXPORT}: the address as 32-bit words in host
   * (little) order.
   */
  private static InetSocketAddress parseHex(String field) throws IOException {
    int colon = field.indexOf(':');
    String hex = field.substring(0, colon);
    byte[] raw = new byte[hex.length() / 2];
    for (int word = 0; word < raw.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        raw[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, a dual-stack socket's view of IPv4) comes back
    // as IPv4.
    return new InetSocketAddress(
        InetAddress.getByAddress(raw), Integer.parseInt(field.substring(colon + 1), 16));
  }

  private static List<String[]> rows(String table) {
    List<String[]> out = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (int i = 1; i < lines.size(); i++) {
        out.add(lines.get(i).trim().split("\\s+"));
      }
    } catch (IOException e) {
      // no such table (no IPv6, say): nothing in it
    }
    return out;
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a scratch directory left in the temp folder is harmless
    }
  }

  private static void invoke(Method m, Object... args) throws IOException {
    if (m == null) {
      throw new IOException("junixsocket's native descriptor wrappers are not available");
    }
    try {
      m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException(m.getName() + " failed", e.getCause());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new IOException(
          m.getName() + " failed (junixsocket's native library is needed): " + e, e);
    }
  }

  private static Method find(String name, Class<?>... types) {
    try {
      Method m =
          Class.forName("org.newsclub.net.unix.NativeUnixSocket").getDeclaredMethod(name, types);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
