package dev.jnet.ipc.internal;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ServerOptions;
import dev.jnet.ipc.internal.StaleSocket.Identity;
import dev.jnet.spi.BindPlan;
import dev.jnet.spi.ChannelTransport;
import dev.jnet.spi.IoEngine;
import dev.jnet.spi.Log;
import dev.jnet.spi.SystemErrors;
import io.netty.channel.ChannelException;
import io.netty.channel.ServerChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Binds a Unix socket path safely, where Netty (and junixsocket) would silently unlink whatever is
 * there. It takes no lock file beside the socket (another user could plant, hold or leave one
 * behind) and binds the real path, so the kernel, {@code ss -xlp}, {@code lsof} and {@code
 * /proc/net/unix} know the server by it.
 *
 * <ol>
 *   <li>The path length is checked in bytes before any system call.
 *   <li>jnet creates the socket itself ({@link UnixListener}) and, through {@code /proc/self/fd/N},
 *       sets the mode of the unbound socket's inode: {@code bind(2)} creates the file with that
 *       mode less the umask, atomically, and the JDK listens in the same call. With a group to
 *       apply, the group bits are left out until the group is set. So the file never has a bit the
 *       requested mode lacks: no connection before the mode applies, for every path length, and no
 *       private directory, so the kernel knows the socket by its real path.
 *   <li>If the path is taken ({@code EADDRINUSE}), {@link StaleSocket} examines it without
 *       following links: a non-socket or a live socket is refused; a socket another server bound
 *       but has not listened on yet is waited for (bounded) and never removed; a stale socket is
 *       removed by device and inode, not by name, under this user's {@link BindLock} of the path,
 *       so no other reclaimer of the user can move aside a socket bound meanwhile. Then the bind is
 *       tried again: the kernel's {@code bind} is the one arbiter, so racing servers end with
 *       exactly one winner.
 *   <li>The group is set with {@code lchown}; bits the umask took (and the group bits held back)
 *       are then added with {@code chmod}, after an {@code lstat} check that the path is still this
 *       socket, and only in a directory where no other user can swap the file for a link (not
 *       world-writable, or sticky; else {@code EACCES}). Until then the file has fewer bits than
 *       requested, never more. {@link #prepare} returns only after that, so the server is announced
 *       as listening with its final mode.
 *   <li>Where the socket's descriptor number or {@code /proc/self/fd} is not available (not Linux,
 *       or a JDK whose channel no longer has the {@code fdVal} field), the socket is bound in a
 *       fresh private directory (0700) beside the path, given its mode and group, listened on, then
 *       hard-linked into place ({@code link(2)} never replaces a file) and the staging name
 *       removed. The kernel then knows the socket by its staging name.
 *   <li>On close, and at JVM exit, the file is removed only while its device and inode are the ones
 *       bound here.
 * </ol>
 *
 * <p>Binders of one path in this JVM are serialized (a bounded wait); {@link #prepare} blocks, off
 * the loop.
 */
final class SafeBind implements BindPlan {
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final Map<Path, Identity> OWNED = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int ATTEMPTS = 5;
  private static final long JVM_LOCK_SECONDS = 30;

  /**
   * Forces the staging directory where /proc would do (tests of the fallback); not a user setting.
   */
  private static final boolean FORCE_STAGING = Boolean.getBoolean("jnet.unix.staging");

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SafeBind::removeOwnedAtExit, "jnet-unix-cleanup"));
  }

  private final Endpoint.Unix endpoint;
  private final Path path;
  private final ServerOptions options;
  private UnixListener socket;
  private Identity identity;
  private boolean handedOver;
  private boolean epoll;
  private BindLock reclaimLock; // taken by the first reclaim, held until the socket listens

  private SafeBind(Endpoint.Unix endpoint, Path path, ServerOptions options) {
    this.endpoint = endpoint;
    this.path = path;
    this.options = options;
  }

  /**
   * Runs off the loop: clears the path, binds, applies mode and group, listens; returns the
   * listening plan.
   */
  static BindPlan prepare(IoEngine engine, Endpoint.Unix endpoint, ServerOptions options) {
    SafeBind plan = null;
    try {
      UnixTransport.checkLength(endpoint, "listen");
      Path path = Path.of(endpoint.path()).toAbsolutePath().normalize();
      plan = new SafeBind(endpoint, path, options);
      ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(path, p -> new ReentrantLock());
      if (!jvmLock.tryLock(JVM_LOCK_SECONDS, TimeUnit.SECONDS)) {
        throw plan.error(
            ErrorCode.EADDRINUSE, "another server of this process is still binding it");
      }
      try {
        plan.listen(engine);
      } finally {
        jvmLock.unlock();
      }
      return plan;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(plan.error(ErrorCode.EIO, "interrupted while waiting to bind"));
    } catch (NetException e) {
      throw new CompletionException(e);
    }
  }

  private void listen(IoEngine engine) throws NetException {
    epoll = engine.isEpoll();
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw error(ErrorCode.ENOENT, "the directory " + dir + " does not exist");
    }
    try {
      socket = new UnixListener();
    } catch (IOException e) {
      throw SystemErrors.map(e, "listen", endpoint.address());
    }
    try {
      int narrow = options.group().isEmpty() ? options.mode() : options.mode() & ~070;
      if (!FORCE_STAGING && socket.presetMode(narrow)) {
        bindInPlace(dir);
      } else {
        new StagedBind(this, dir).bind();
      }
      OWNED.put(path, identity);
    } catch (NetException | RuntimeException e) {
      socket.close();
      removeOurs();
      throw e;
    } finally {
      if (reclaimLock != null) {
        reclaimLock.close();
      }
    }
  }

  /**
   * Clears a taken path if what holds it is stale, under this user's {@link BindLock} of the path
   * (kept until the socket listens): no other binder of this user is between examining a stale
   * socket and moving it aside meanwhile, so none can move aside the socket this one binds next.
   */
  void clearStale() throws NetException {
    if (reclaimLock == null) {
      reclaimLock = BindLock.acquire(path);
    }
    StaleSocket.clear(path, this::error);
  }

  private void bindInPlace(Path dir) throws NetException {
    for (int attempt = 1; ; attempt++) {
      try {
        socket.bindAndListen(path, options.backlog());
        break;
      } catch (IOException e) {
        NetException n = SystemErrors.map(e, "listen", endpoint.address());
        if (n.code() != ErrorCode.EADDRINUSE) {
          throw n;
        }
        if (attempt == ATTEMPTS) {
          throw error(
              ErrorCode.EADDRINUSE,
              "the path was taken again after each of " + ATTEMPTS + " attempts");
        }
        clearStale();
      }
    }
    identity = ownSocket(path, socketUid());
    applyGroupAndMode(path, dir);
  }

  private int socketUid() throws NetException {
    try {
      return (Integer)
          Files.getAttribute(Path.of("/proc/self/fd/" + socket.fd().orElseThrow()), "unix:uid");
    } catch (IOException e) {
      throw error(ErrorCode.EIO, "cannot read the socket's owner: " + e.getMessage());
    }
  }

  /** Reads the identity of the file just bound: it must be a socket of this process's user. */
  Identity ownSocket(Path file, int uid) throws NetException {
    Optional<Identity> id;
    try {
      id = Identity.of(file);
    } catch (IOException e) {
      throw error(ErrorCode.EACCES, "cannot examine " + file + ": " + e.getMessage());
    }
    if (id.isEmpty() || !id.get().isSocket() || id.get().uid() != uid) {
      throw error(ErrorCode.EADDRINUSE, "the socket file was removed or replaced while binding");
    }
    return id.get();
  }

  /**
   * Sets the group (lchown, never through a link) and adds mode bits the umask took (chmod, checked
   * first).
   */
  void applyGroupAndMode(Path file, Path dir) throws NetException {
    try {
      if (!options.group().isEmpty()) {
        GroupPrincipal g =
            file.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(options.group());
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setGroup(g);
      }
      Identity now =
          Identity.of(file)
              .orElseThrow(() -> error(ErrorCode.EADDRINUSE, "the socket file vanished"));
      if ((now.mode() & 07777) == options.mode()) {
        return;
      }
      if (!swapProof(dir, now.uid())) {
        throw error(
            ErrorCode.EACCES,
            "the umask removed bits of mode 0"
                + Integer.toOctalString(options.mode())
                + ", and jnet will not chmod the socket in "
                + dir
                + ", where other users can replace it with a link"
                + " (world-writable, not sticky); use a private or sticky directory, or a umask that keeps the mode");
      }
      if (!now.sameFile(identity) || !now.isSocket()) {
        throw error(ErrorCode.EADDRINUSE, "the socket file was replaced while binding");
      }
      // chmod(2) follows links: safe here only because the file was just checked and no one else
      // can swap it.
      Files.setAttribute(file, "unix:mode", options.mode());
    } catch (UserPrincipalNotFoundException e) {
      throw error(ErrorCode.EINVAL, "no such group: " + options.group());
    } catch (IOException e) {
      throw error(
          ErrorCode.EACCES, "cannot set the mode or group of " + file + ": " + e.getMessage());
    }
  }

  /**
   * Tells whether only this user (or root) can rename or remove the user's files in the directory.
   */
  private static boolean swapProof(Path dir, int uid) throws IOException {
    Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid");
    int mode = (Integer) a.get("mode");
    int owner = (Integer) a.get("uid");
    return (owner == uid || owner == 0) && ((mode & 0002) == 0 || (mode & 01000) != 0);
  }

  UnixListener socket() {
    return socket;
  }

  Path path() {
    return path;
  }

  ServerOptions options() {
    return options;
  }

  void identity(Identity id) {
    identity = id;
  }

  static String randomName() {
    return ".jnet-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }

  static int bytes(Path p) {
    return p.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public SocketAddress address() {
    return new Listening(this);
  }

  @Override
  public boolean isListening() {
    return true;
  }

  @Override
  public void failed() {
    if (!handedOver) {
      socket.close();
    }
    closed();
  }

  @Override
  public Optional<Endpoint> endpoint(ServerChannel channel, ChannelTransport transport) {
    return Optional.of(endpoint);
  }

  @Override
  public void closed() {
    if (identity != null && OWNED.remove(path, identity)) {
      removeOurs();
    }
  }

  private void removeOurs() {
    if (identity != null) {
      removeIfOurs(path, identity);
    }
  }

  /**
   * Gives up this process's claim on a socket file it bound, so that neither closing the server nor
   * the JVM's exit removes it: its listening socket now lives on in another process (a handover).
   *
   * @param path the socket path
   */
  static void disown(Path path) {
    OWNED.remove(path.toAbsolutePath().normalize());
  }

  private static void removeIfOurs(Path path, Identity identity) {
    try {
      StaleSocket.removeIf(path, identity);
    } catch (IOException e) {
      Log.fine(() -> "jnet: cannot remove " + path + ": " + e);
    }
  }

  private static void removeOwnedAtExit() {
    OWNED.forEach(SafeBind::removeIfOurs);
  }

  NetException error(ErrorCode code, String why) {
    String prefix =
        code == ErrorCode.EADDRINUSE
            ? "listen EADDRINUSE: address already in use "
            : "listen " + code + " ";
    return NetException.withMessage(
        code, "listen", endpoint.address(), prefix + endpoint.address() + " (" + why + ")");
  }

  /**
   * Carries the listening socket from {@link #prepare} to {@link UnixTransport#newServerChannel}.
   */
  static final class Listening extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private final transient SafeBind plan;

    Listening(SafeBind plan) {
      this.plan = plan;
    }

    /** Hands the socket to Netty. */
    ServerChannel channel() {
      plan.handedOver = true;
      try {
        return plan.socket.toChannel(plan.epoll);
      } catch (IOException e) {
        plan.socket.close();
        throw new ChannelException(
            "cannot hand the socket of " + plan.path + " to the engine: " + e, e);
      }
    }

    @Override
    public String toString() {
      return plan.path.toString();
    }
  }
}
