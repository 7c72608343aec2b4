package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@code pipe:} server's directory: where a name resolves, how a server takes the directory
 * (creating it with mode 0700 or reclaiming a stale one of its own, never another user's: {@link
 * PipeTrust}) and gives it back, and whether a server is serving it.
 *
 * <p>Liveness is an exclusive {@code fcntl} lock on {@code DIR/lock} held while the server listens.
 * POSIX drops a process's {@code fcntl} locks on a file when that process closes <em>any</em>
 * descriptor of it, so a client in the same JVM as the server must not probe the lock file: servers
 * of this JVM are found in {@link #LIVE} first.
 */
final class PipeDirectory {
  /** The well-known FIFO clients announce themselves on. */
  static final String WELL_KNOWN = "pipe";

  /** The lock file a live server holds locked. */
  static final String LOCK = "lock";

  private static final Map<Path, Lease> LIVE = new ConcurrentHashMap<>();

  private PipeDirectory() {}

  /**
   * Resolves an endpoint to its directory: an absolute path as is, a name under {@code
   * $XDG_RUNTIME_DIR/jnet} or a private per-user folder under the temp directory.
   *
   * @param endpoint the endpoint
   * @param syscall {@code connect} or {@code listen}, for the error
   * @return the directory
   * @throws NetException if the name is not usable
   */
  static Path resolve(Endpoint.Pipe endpoint, String syscall) throws NetException {
    String n = endpoint.name();
    if (n.startsWith("/")) {
      return Path.of(n).normalize();
    }
    if (n.contains("/") || n.equals(".") || n.equals("..")) {
      throw NetException.withMessage(
          ErrorCode.EINVAL,
          syscall,
          n,
          syscall
              + " EINVAL "
              + n
              + " (a pipe name is one path segment, or an absolute directory path)");
    }
    return base().resolve(n);
  }

  /**
   * Returns the folder that holds named pipes.
   *
   * @return {@code $XDG_RUNTIME_DIR/jnet}, else {@code java.io.tmpdir/jnet-USER}
   */
  static Path base() {
    String xdg = System.getenv("XDG_RUNTIME_DIR");
    if (xdg != null && xdg.startsWith("/") && Files.isDirectory(Path.of(xdg))) {
      return Path.of(xdg, "jnet");
    }
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "jnet-" + user);
  }

  /** What a client finds in a server's directory. */
  enum Serving {
    /** Nobody listens. */
    NO,
    /** A server listens. */
    YES,
    /** A server listens and writes the accept byte when asked (protocol section 3a). */
    WITH_ACCEPT_BYTE
  }

  /**
   * Tells whether a server listens in a directory.
   *
   * @param dir the directory
   * @return true if a server of this JVM holds it or another process holds its lock
   */
  static boolean isServing(Path dir) {
    return serving(dir) != Serving.NO;
  }

  /**
   * Tells whether a server listens in a directory, and whether it writes the accept byte: a server
   * of this JVM does; another says so in its lock file ({@link #ACCEPT_BYTE_LINE}).
   *
   * @param dir the directory
   * @return what listens there
   */
  static Serving serving(Path dir) {
    if (LIVE.containsKey(dir)) {
      return Serving.WITH_ACCEPT_BYTE;
    }
    Path lock = dir.resolve(LOCK);
    if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
      return Serving.NO;
    }
    // read-write: even a FIFO swapped in meanwhile opens without blocking
    try (FileChannel c =
        FileChannel.open(
            lock, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock l = c.tryLock();
      if (l != null) {
        l.release();
        return Serving.NO;
      }
      return saysAcceptByte(c) ? Serving.WITH_ACCEPT_BYTE : Serving.YES;
    } catch (OverlappingFileLockException e) {
      return Serving.YES;
    } catch (IOException e) {
      return Serving.NO;
    }
  }

  private static boolean saysAcceptByte(FileChannel c) throws IOException {
    byte[] expected = ACCEPT_BYTE_LINE.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(expected.length + 1);
    long at = 0;
    int n;
    while (b.hasRemaining() && (n = c.read(b, at)) > 0) {
      at += n;
    }
    return at == expected.length
        && java.util.Arrays.equals(java.util.Arrays.copyOf(b.array(), expected.length), expected);
  }

  /** What a listening server writes in its lock file: it writes the accept byte when asked. */
  static final String ACCEPT_BYTE_LINE = "JNETPIPE1 accept-byte\n";

  /**
   * Takes a directory for a server: creates it (mode 0700) or reclaims a stale one, locks it,
   * creates the well-known FIFO. A live server's directory gives {@code EADDRINUSE}; so does a path
   * that is not a directory, or a directory holding anything but FIFOs and the lock file (it is
   * left intact).
   *
   * @param dir the directory
   * @param endpoint for errors
   * @return the lease, to {@link Lease#close()} when the server has closed
   * @throws NetException if the directory cannot be taken
   */
  static Lease listen(Path dir, String endpoint) throws NetException {
    try {
      if (!dir.isAbsolute()) {
        throw inUse(endpoint, "not an absolute path");
      }
      if (dir.getParent() != null && dir.getParent().equals(base())) {
        PipeTrust.makePrivate(base(), endpoint);
      }
      PipeTrust.makePrivate(dir, endpoint);
      FileChannel lockFile =
          FileChannel.open(
              dir.resolve(LOCK),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      FileLock lock;
      try {
        lock = lockFile.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockFile.close();
        throw inUse(endpoint, null);
      }
      Lease lease = new Lease(dir, lockFile);
      try {
        lockFile.truncate(0);
        lockFile.write(
            java.nio.ByteBuffer.wrap(
                ACCEPT_BYTE_LINE.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            0);
        reclaim(dir, endpoint);
      } catch (IOException | RuntimeException e) {
        Fifos.close(lockFile); // not ours to clean: leave every file as it was
        throw e;
      }
      try {
        Fifos.make(dir.resolve(WELL_KNOWN));
      } catch (IOException | RuntimeException e) {
        lease.release(false);
        throw e;
      }
      LIVE.put(dir, lease);
      return lease;
    } catch (NetException e) {
      throw e;
    } catch (IOException e) {
      throw NetException.of(codeOf(e), "listen", endpoint, e);
    }
  }

  private static ErrorCode codeOf(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof java.nio.file.NoSuchFileException || m.contains("no such file")) {
      return ErrorCode.ENOENT;
    }
    if (e instanceof java.nio.file.AccessDeniedException || m.contains("permission denied")) {
      return ErrorCode.EACCES;
    }
    return ErrorCode.EIO;
  }

  private static NetException inUse(String endpoint, String why) {
    return NetException.withMessage(
        ErrorCode.EADDRINUSE,
        "listen",
        endpoint,
        "listen EADDRINUSE: address already in use "
            + endpoint
            + (why == null ? "" : " (" + why + ")"));
  }

  /** Deletes what a dead server left: FIFOs only; anything else means the directory is not ours. */
  private static void reclaim(Path dir, String endpoint) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (p.getFileName().toString().equals(LOCK)) {
          continue;
        }
        if (!Fifos.isFifo(p)) {
          throw inUse(endpoint, "the directory holds " + p.getFileName() + ", which is not a FIFO");
        }
        stale.add(p);
      }
    }
    stale.forEach(Fifos::delete);
  }

  /** A server's hold on its directory. */
  static final class Lease {
    /** How long a closed server keeps its lock for clients still unlinking an accepted pair. */
    private static final long ACCEPTED_MS = 10_000;

    private final Path dir;
    private final FileChannel lockFile;

    /** Pairs this server opened (their {@code .up} FIFO) that their client has not unlinked yet. */
    private final Set<Path> accepted = ConcurrentHashMap.newKeySet();

    private boolean released;

    private Lease(Path dir, FileChannel lockFile) {
      this.dir = dir;
      this.lockFile = lockFile;
    }

    Path dir() {
      return dir;
    }

    Path wellKnown() {
      return dir.resolve(WELL_KNOWN);
    }

    /**
     * Notes a pair this server opened. Until its client unlinks it (protocol step 6, once its own
     * opens returned), the client may still be checking whether the server listens: {@link
     * #release} keeps the lock until then, so that a server that accepts and closes at once (a
     * one-shot {@code recv}) is not taken for one that refused.
     *
     * @param up the pair's {@code .up} FIFO
     */
    void accepted(Path up) {
      accepted.removeIf(p -> !Fifos.linked(p));
      accepted.add(up);
    }

    /**
     * Removes every FIFO but the pairs of accepted connections their clients still hold, then (at
     * once, or on a background thread once those clients unlinked their pairs, within {@value
     * #ACCEPTED_MS} ms) the lock file and the directory, and drops the lock. The well-known FIFO
     * goes at once: new clients get {@code ENOENT}.
     */
    void release(boolean removeDir) {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (Fifos.isFifo(p) && !isAcceptedPair(p)) {
            Fifos.unblock(p);
            Fifos.delete(p);
          }
        }
      } catch (IOException e) {
        // best effort: a stale directory is reclaimed by the next server
      }
      accepted.removeIf(p -> !Fifos.linked(p));
      if (accepted.isEmpty()) {
        unlock(removeDir);
      } else {
        Thread t = new Thread(() -> unlockOnceUnlinked(removeDir), "jnet-pipe-release");
        t.setDaemon(true);
        t.start();
      }
    }

    private boolean isAcceptedPair(Path p) {
      String n = p.getFileName().toString();
      return accepted.contains(p)
          || n.endsWith(".down")
              && accepted.contains(p.resolveSibling(n.substring(0, n.length() - 5) + ".up"));
    }

    private void unlockOnceUnlinked(boolean removeDir) {
      long deadline = System.nanoTime() + ACCEPTED_MS * 1_000_000L;
      try {
        while (!accepted.isEmpty() && System.nanoTime() - deadline < 0) {
          Thread.sleep(5); // a file's removal by another process: no event to wait on
          accepted.removeIf(p -> !Fifos.linked(p));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Path up : accepted) {
        String n = up.getFileName().toString();
        Fifos.delete(up, up.resolveSibling(n.substring(0, n.length() - 3) + ".down"));
      }
      unlock(removeDir);
    }

    private synchronized void unlock(boolean removeDir) {
      LIVE.remove(dir, this);
      Fifos.delete(dir.resolve(LOCK));
      Fifos.close(lockFile);
      if (removeDir) {
        try {
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // not empty (someone else's file): leave it
        }
      }
    }
  }
}
