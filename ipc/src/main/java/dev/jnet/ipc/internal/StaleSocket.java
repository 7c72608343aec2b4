package dev.jnet.ipc.internal;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.spi.Log;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Clears a socket path for a bind without a lock file: whatever is there is examined without
 * following links; a non-socket is refused and left alone; a socket that accepts (or queues) a
 * probe connection is live; a socket that refuses it is either stale or another server's between
 * its {@code bind} and its {@code listen}. The second shows in {@code /proc/net/unix} as a socket
 * bound at that path that does not listen: it is waited for, at most {@link #GRACE_MILLIS}, then
 * refused naming its holder; it is never removed.
 *
 * <p>A stale socket is removed by identity, never by name: it is renamed to a random name beside it
 * (an atomic step that takes whatever is at the path at that instant), and deleted only if its
 * device and inode are the ones examined; a different file taken by that rename (a rival that
 * reclaimed first and bound its own socket) is linked back with {@code link(2)}, which never
 * replaces anything, so no live or fresh socket is deleted. That link-back leaves the path empty
 * for an instant, in which a third binder could bind: {@link SafeBind} therefore runs this under
 * the user's {@link BindLock} of the path, and of any number of binders racing for a path exactly
 * one binds it.
 *
 * <p>Stateless; safe from any thread; blocks (up to the grace period), so it runs off the loop.
 */
final class StaleSocket {
  /** The longest wait for a socket bound at the path to start listening. */
  static final long GRACE_MILLIS = 2_000;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private StaleSocket() {}

  /**
   * A file's identity and type, read with {@code lstat}: device, inode and modification time. The
   * inode alone is not an identity over time: ext4 gives a new socket the inode number of one just
   * deleted, so a reclaimer that examined a stale socket could otherwise take the socket a rival
   * bound in its place for the stale one. A socket's modification time is set when it is bound and
   * kept through rename, link, chmod and chown.
   */
  record Identity(Object dev, Object ino, FileTime modified, int mode, int uid) {
    static Optional<Identity> of(Path path) throws IOException {
      try {
        Map<String, Object> a =
            Files.readAttributes(
                path, "unix:dev,ino,lastModifiedTime,mode,uid", LinkOption.NOFOLLOW_LINKS);
        return Optional.of(
            new Identity(
                a.get("dev"),
                a.get("ino"),
                (FileTime) a.get("lastModifiedTime"),
                (Integer) a.get("mode"),
                (Integer) a.get("uid")));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }

    boolean isSocket() {
      return (mode & S_IFMT) == S_IFSOCK;
    }

    boolean sameFile(Identity other) {
      return dev.equals(other.dev) && ino.equals(other.ino) && modified.equals(other.modified);
    }
  }

  /** Makes the errors of the bind in progress. */
  interface Errors {
    NetException error(ErrorCode code, String why);
  }

  /**
   * Clears the path if what is there is a stale socket; returns once the path was seen free or
   * freed (the caller then binds again), or throws.
   *
   * @param path the socket path
   * @param errors makes the errors
   * @throws NetException EADDRINUSE for a non-socket, a live socket or one bound there that does
   *     not listen; EACCES if a stale socket cannot be removed
   */
  static void clear(Path path, Errors errors) throws NetException {
    Optional<Identity> seen = lstat(path, errors);
    if (seen.isEmpty()) {
      return;
    }
    Identity id = seen.get();
    if (!id.isSocket()) {
      throw errors.error(
          ErrorCode.EADDRINUSE,
          "a " + kind(id.mode()) + " is there, not a socket; jnet leaves it alone");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
    long pause = TimeUnit.MILLISECONDS.toNanos(5);
    boolean waited = false;
    while (true) {
      Probe probe = probe(path);
      if (probe == Probe.LIVE) {
        throw errors.error(
            ErrorCode.EADDRINUSE,
            "a live server accepts connections there"
                + UnixOwners.describeListener(path).map(s -> " (" + s + ")").orElse(""));
      }
      if (probe == Probe.DENIED) {
        throw errors.error(
            ErrorCode.EACCES,
            "a socket of uid "
                + id.uid()
                + " is there that this user may not"
                + " connect to, so jnet cannot tell a live server from a stale file, and leaves it alone");
      }
      Optional<String> binder = UnixOwners.boundNotListening(path);
      if (binder.isEmpty() && waited) {
        break;
      }
      if (System.nanoTime() - deadline > 0) {
        throw errors.error(
            ErrorCode.EADDRINUSE,
            "a socket is bound there but not listening"
                + binder.flatMap(UnixOwners::describeHolder).map(s -> " (" + s + ")").orElse("")
                + "; jnet waited "
                + GRACE_MILLIS
                + " ms for it to listen or go, and leaves it alone");
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(100));
      waited = true;
      Optional<Identity> now = lstat(path, errors);
      if (now.isEmpty() || !now.get().sameFile(id)) {
        return;
      }
    }
    try {
      if (removeIf(path, id)) {
        Log.get()
            .info(
                () ->
                    "jnet: reclaimed stale socket "
                        + path
                        + " (nothing accepted connections there)");
      }
    } catch (IOException e) {
      throw errors.error(
          ErrorCode.EACCES,
          "cannot remove the stale socket "
              + path
              + " of uid "
              + id.uid()
              + " ("
              + (e instanceof FileSystemException f && f.getReason() != null
                  ? f.getReason()
                  : e.toString())
              + ")");
    }
  }

  /**
   * Removes the file at the path only if it is the one identified: checks, then renames whatever is
   * there aside (the check and the rename are not one step), deletes it if it is that file, else
   * links it back (never replacing a file) and drops the aside name.
   *
   * @param path the path
   * @param id the file to remove
   * @return true if that file was removed; false if it was not there, or not that file
   * @throws IOException if it cannot be moved aside (not permitted: a sticky directory, another
   *     user's file)
   */
  static boolean removeIf(Path path, Identity id) throws IOException {
    try {
      Optional<Identity> there = Identity.of(path);
      if (there.isEmpty() || !there.get().sameFile(id)) {
        return false; // a successor's socket: not even moved aside for an instant
      }
    } catch (IOException e) {
      return false;
    }
    Path aside =
        path.resolveSibling(
            "."
                + path.getFileName()
                + ".jnet-"
                + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
    try {
      Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;
    }
    try {
      Optional<Identity> taken = Identity.of(aside);
      if (taken.isPresent() && taken.get().sameFile(id)) {
        Files.delete(aside);
        return true;
      }
      putBack(path, aside);
      return false;
    } catch (IOException e) {
      Log.get()
          .warning(
              () ->
                  "jnet: " + aside + " (moved aside from " + path + ") could not be checked: " + e);
      return false;
    }
  }

  private static void putBack(Path path, Path aside) throws IOException {
    try {
      Files.createLink(path, aside);
    } catch (FileAlreadyExistsException e) {
      Log.get()
          .warning(
              () ->
                  "jnet: a socket taken aside from "
                      + path
                      + " could not be put back: another took"
                      + " its place meanwhile");
    } finally {
      Files.deleteIfExists(aside);
    }
  }

  private static Optional<Identity> lstat(Path path, Errors errors) throws NetException {
    try {
      return Identity.of(path);
    } catch (IOException e) {
      throw errors.error(ErrorCode.EACCES, "cannot examine " + path + ": " + e.getMessage());
    }
  }

  /** What a probe connection found. */
  enum Probe {
    LIVE,
    REFUSED,
    DENIED
  }

  /** Connects without blocking: accepted or pending means a live listener; refused means stale. */
  static Probe probe(Path socket) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.configureBlocking(false);
      ch.connect(UnixDomainSocketAddress.of(socket));
      return Probe.LIVE;
    } catch (ConnectException e) {
      return Probe.REFUSED;
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("permission denied")) {
        return Probe.DENIED;
      }
      return m.contains("refused") || m.contains("no such file") ? Probe.REFUSED : Probe.LIVE;
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
}
