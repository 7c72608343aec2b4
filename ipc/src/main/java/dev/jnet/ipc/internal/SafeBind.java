package dev.jnet.ipc.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ServerOptions;
import dev.jnet.internal.Log;
import dev.jnet.internal.BindPlan;
import dev.jnet.internal.Engine;
import dev.jnet.internal.NettyTransport;
import io.netty.channel.ServerChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;

/**
 * Binds a Unix socket path safely, where Netty (and junixsocket) would silently unlink whatever is there.
 *
 * <ol>
 *   <li>The path length is checked in bytes before any system call.
 *   <li>A lock file ({@code PATH.lock}, mode 0600) is held from the check until the socket is in place, so two
 *       servers racing for one path end with exactly one winner.
 *   <li>Whatever is at the path is examined without following links: a non-socket (file, directory, link) is
 *       refused with {@code EADDRINUSE} and left untouched; a socket that accepts a probe connection is live
 *       ({@code EADDRINUSE}); a socket that refuses it is stale and is removed.
 *   <li>The socket is bound under a fresh private directory (mode 0700) beside the path, given its mode and group,
 *       then renamed into place: no connection can arrive before the mode applies.
 *   <li>On close, and at JVM exit, the file is removed only while its device and inode are still the ones bound
 *       here, so a successor's socket is never deleted.
 * </ol>
 */
final class SafeBind implements BindPlan {
  private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final Map<Path, Object[]> OWNED = new ConcurrentHashMap<>();
  private static final Set<Path> BINDING = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(SafeBind::removeOwnedAtExit, "jnet-unix-cleanup"));
  }

  private final Endpoint.Unix endpoint;
  private final Path path;
  private final ServerOptions options;
  private final Path stagingDir;
  private final Path bindPath;
  private final SocketAddress address;
  private final Object jvmLock;
  private FileChannel lockChannel;
  private FileLock lock;
  private Object[] identity;

  private SafeBind(Engine engine, Endpoint.Unix endpoint, ServerOptions options, Object jvmLock) {
    this.endpoint = endpoint;
    this.path = Path.of(endpoint.path()).toAbsolutePath().normalize();
    this.options = options;
    this.jvmLock = jvmLock;
    Path staging = path.resolveSibling(".jnet-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
    Path candidate = staging.resolve("s");
    if (candidate.toString().getBytes(StandardCharsets.UTF_8).length <= UnixTransport.MAX_PATH_BYTES) {
      this.stagingDir = staging;
      this.bindPath = candidate;
    } else {
      this.stagingDir = null;
      this.bindPath = path;
    }
    this.address = UnixTransport.socketAddress(engine, bindPath.toString());
  }

  /** Runs off the loop: checks, locks, examines and reclaims; returns the plan holding the lock. */
  static BindPlan prepare(Engine engine, Endpoint.Unix endpoint, ServerOptions options) {
    try {
      UnixTransport.checkLength(endpoint, "listen");
      Path path = Path.of(endpoint.path()).toAbsolutePath().normalize();
      Object jvmLock = JVM_LOCKS.computeIfAbsent(path, p -> new Object());
      SafeBind plan = new SafeBind(engine, endpoint, options, jvmLock);
      plan.acquire();
      try {
        plan.examine();
        plan.stage();
      } catch (NetException | RuntimeException e) {
        plan.failed();
        throw e;
      }
      return plan;
    } catch (NetException e) {
      throw new CompletionException(e);
    }
  }

  private void acquire() throws NetException {
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw error(ErrorCode.ENOENT, "the directory " + dir + " does not exist");
    }
    synchronized (jvmLock) {
      while (BINDING.contains(path)) {
        try {
          jvmLock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw error(ErrorCode.EIO, "interrupted while waiting for the path's lock");
        }
      }
      BINDING.add(path);
    }
    try {
      lockChannel = FileChannel.open(Path.of(path + ".lock"),
          Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      lock = lockChannel.lock();
    } catch (AccessDeniedException e) {
      releaseJvm();
      throw error(ErrorCode.EACCES, "cannot create the lock file " + path + ".lock");
    } catch (IOException e) {
      releaseJvm();
      throw error(ErrorCode.EIO, "cannot lock " + path + ".lock: " + e.getMessage());
    }
  }

  private void examine() throws NetException {
    Map<String, Object> attrs;
    try {
      attrs = Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw error(ErrorCode.EACCES, "cannot examine " + path + ": " + e.getMessage());
    }
    int mode = (Integer) attrs.get("mode");
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw error(ErrorCode.EADDRINUSE, "a " + kind(mode) + " is there, not a socket; jnet leaves it alone");
    }
    if (probeLive(path)) {
      throw error(ErrorCode.EADDRINUSE, "a live server accepts connections there"
          + UnixOwners.describeListener(path).map(s -> " (" + s + ")").orElse(""));
    }
    try {
      Files.deleteIfExists(path);
      Log.get().info(() -> "jnet: reclaimed stale socket " + path + " (nothing accepted connections there)");
    } catch (IOException e) {
      throw error(ErrorCode.EACCES, "cannot remove the stale socket " + path + ": " + e.getMessage());
    }
  }

  /** Connects without blocking: accepted or pending means a live listener; refused means stale. */
  static boolean probeLive(Path socket) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.configureBlocking(false);
      ch.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return !(m.contains("refused") || m.contains("no such file"));
    }
  }

  private static String kind(int mode) {
    return switch (mode & S_IFMT) {
      case 0100000 -> "regular file";
      case 0040000 -> "directory";
      case 0120000 -> "symbolic link";
      case 0010000 -> "FIFO";
      default -> "non-socket file";
    };
  }

  private void stage() throws NetException {
    if (stagingDir == null) {
      return;
    }
    try {
      Files.createDirectory(stagingDir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw error(ErrorCode.EACCES, "cannot create " + stagingDir + ": " + e.getMessage());
    }
  }

  @Override
  public SocketAddress address() {
    return address;
  }

  @Override
  public void bound(ServerChannel channel) throws NetException {
    try {
      Set<PosixFilePermission> perms = permissions(options.mode());
      Files.setPosixFilePermissions(bindPath, perms);
      if (!options.group().isEmpty()) {
        GroupPrincipal g = bindPath.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByGroupName(options.group());
        Files.getFileAttributeView(bindPath, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
      }
      if (stagingDir != null) {
        Files.move(bindPath, path, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(stagingDir);
      }
      Map<String, Object> attrs = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
      identity = new Object[] {attrs.get("dev"), attrs.get("ino")};
      OWNED.put(path, identity);
    } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
      throw error(ErrorCode.EINVAL, "no such group: " + options.group());
    } catch (IOException e) {
      throw error(ErrorCode.EACCES, "cannot set up " + path + ": " + e.getMessage());
    } finally {
      releaseLocks();
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(bits[i]);
      }
    }
    return s;
  }

  @Override
  public void failed() {
    try {
      if (stagingDir != null) {
        Files.deleteIfExists(bindPath);
        Files.deleteIfExists(stagingDir);
      }
    } catch (IOException e) {
      Log.fine(() -> "cannot clean " + stagingDir + ": " + e);
    }
    releaseLocks();
  }

  @Override
  public Optional<Endpoint> endpoint(ServerChannel channel, NettyTransport transport) {
    return Optional.of(endpoint);
  }

  @Override
  public void closed() {
    if (identity != null && OWNED.remove(path, identity)) {
      removeIfOurs(path, identity);
    }
  }

  /**
   * Gives up this process's claim on a socket file it bound, so that neither closing the server nor the JVM's exit
   * removes it: its listening socket now lives on in another process (a handover).
   *
   * @param path the socket path
   */
  static void disown(Path path) {
    OWNED.remove(path.toAbsolutePath().normalize());
  }

  private static void removeIfOurs(Path path, Object[] identity) {
    try {
      Map<String, Object> attrs = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
      if (identity[0].equals(attrs.get("dev")) && identity[1].equals(attrs.get("ino"))) {
        Files.delete(path);
      }
    } catch (IOException e) {
      // gone already, or replaced by a file we must not touch
    }
  }

  private static void removeOwnedAtExit() {
    for (Map.Entry<Path, Object[]> e : OWNED.entrySet()) {
      removeIfOurs(e.getKey(), e.getValue());
    }
  }

  private void releaseLocks() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      Log.fine(() -> "cannot release " + path + ".lock: " + e);
    }
    lock = null;
    lockChannel = null;
    releaseJvm();
  }

  private void releaseJvm() {
    synchronized (jvmLock) {
      BINDING.remove(path);
      jvmLock.notifyAll();
    }
  }

  private NetException error(ErrorCode code, String why) {
    String prefix = code == ErrorCode.EADDRINUSE ? "listen EADDRINUSE: address already in use " : "listen " + code + " ";
    return NetException.withMessage(code, "listen", endpoint.address(), prefix + endpoint.address() + " (" + why + ")");
  }
}
