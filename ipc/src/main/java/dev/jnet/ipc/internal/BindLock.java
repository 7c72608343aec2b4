package dev.jnet.ipc.internal;

import dev.jnet.ipc.internal.pipe.UserFolder;
import dev.jnet.spi.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Serializes this user's binds of one socket path, across processes: a POSIX lock on one byte of
 * {@code bind.lock} in the user's private jnet folder, the byte chosen by the path's directory
 * (device and inode) and name. Reclaiming a stale socket cannot be one system call: it is examined,
 * then moved aside, and a binder slow between the two could move aside a socket another binder had
 * just bound, leaving the path empty for a third (two servers then think they listen, one on a path
 * that leads elsewhere). Under this lock a binder examines, reclaims, binds and listens while no
 * other binder of this user is between those steps. Other users cannot reach the lock (the folder
 * is 0700), and cannot move this user's sockets aside in a sticky directory.
 *
 * <p>The lock is an optimisation of the race, never a condition of the bind: where the folder is
 * unusable (another user planted it) or a holder keeps it past {@link #WAIT_MILLIS} (a stopped
 * process), the bind goes on without it, as before, and says so in the log. The kernel dropping the
 * lock when its holder dies, nothing is left to reclaim.
 *
 * <p>Threads: one instance per bind; {@link #acquire} blocks (bounded), so it runs off the loop.
 */
final class BindLock implements AutoCloseable {
  /** The longest wait for another binder of the same path. */
  static final long WAIT_MILLIS = StaleSocket.GRACE_MILLIS + 3_000;

  private static final BindLock NONE = new BindLock(null, null);
  private final FileChannel file;
  private final FileLock lock;

  private BindLock(FileChannel file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  /**
   * Takes the lock of a socket path, or returns one that holds nothing when the lock cannot be had.
   *
   * @param path the socket path (absolute, normalized)
   * @return the lock, to close once the socket listens (or the bind failed)
   */
  static BindLock acquire(Path path) {
    FileChannel file = null;
    try {
      Path lockFile = UserFolder.get(path.toString()).resolve("bind.lock");
      file =
          FileChannel.open(
              lockFile,
              Set.of(
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.CREATE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      long position = slot(path);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
      long pause = TimeUnit.MILLISECONDS.toNanos(1);
      while (true) {
        FileLock l;
        try {
          l = file.tryLock(position, 1, false);
        } catch (OverlappingFileLockException e) {
          l = null; // another bind of this JVM whose path has the same byte
        }
        if (l != null) {
          return new BindLock(file, l);
        }
        if (System.nanoTime() - deadline > 0) {
          Log.get()
              .warning(
                  () ->
                      "jnet: another process of this user held the bind lock of "
                          + path
                          + " for "
                          + WAIT_MILLIS
                          + " ms; binding without it");
          break;
        }
        LockSupport.parkNanos(pause);
        pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(20));
      }
    } catch (IOException | RuntimeException e) {
      Log.fine(() -> "jnet: no bind lock for " + path + " (" + e + "); binding without it");
    }
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // nothing held
      }
    }
    return NONE;
  }

  /** The byte that stands for a path: its directory's device and inode, and its name. */
  private static long slot(Path path) throws IOException {
    Map<String, Object> dir =
        Files.readAttributes(path.getParent(), "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    int h = (dir.get("dev") + ":" + dir.get("ino") + "/" + path.getFileName()).hashCode();
    return h & 0x7fffffffL;
  }

  @Override
  public void close() {
    if (file == null) {
      return;
    }
    try {
      lock.release();
    } catch (IOException e) {
      // closing the file releases it too
    }
    try {
      file.close();
    } catch (IOException e) {
      // the lock went with the descriptor
    }
  }
}
