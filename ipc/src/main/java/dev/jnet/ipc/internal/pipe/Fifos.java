package dev.jnet.ipc.internal.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The FIFO system calls jnet needs, with the JDK alone: {@code mkfifo(1)} (Java 17 has no {@code
 * mkfifo}), blocking opens on opener threads ({@link FifoEnd}), and the trick that releases an open
 * blocked on a FIFO (opening it {@code O_RDWR}, which never blocks on Linux, gives the blocked open
 * its missing other end). Stateless; every method may be called from any thread, and none runs on
 * an event loop but {@link #close}.
 */
final class Fifos {
  private Fifos() {}

  /**
   * Creates FIFOs with mode 0600.
   *
   * @param paths where
   * @throws IOException if {@code mkfifo} fails (the message is its error output)
   */
  static void make(Path... paths) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mkfifo", "-m", "600", "--"));
    for (Path p : paths) {
      cmd.add(p.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("mkfifo did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("mkfifo interrupted");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      String m = out.toLowerCase(java.util.Locale.ROOT);
      if (m.contains("no such file")) {
        throw new java.nio.file.NoSuchFileException(paths[0].toString(), null, out);
      }
      throw new IOException(out.isEmpty() ? "mkfifo failed with status " + p.exitValue() : out);
    }
  }

  /**
   * Tells whether a path is a FIFO (not following links).
   *
   * @param p the path
   * @return true for a FIFO
   */
  static boolean isFifo(Path p) {
    try {
      Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (((Integer) mode) & 0170000) == 0010000;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Returns the owner uid and gid of a file.
   *
   * @param p the path
   * @return {uid, gid}, or {-1, -1} if unknown
   */
  static int[] owner(Path p) {
    try {
      int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      return new int[] {uid, gid};
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return new int[] {-1, -1};
    }
  }

  /**
   * Releases any open blocked on this FIFO by opening and closing it read-write.
   *
   * @param p the FIFO
   */
  static void unblock(Path p) {
    if (!isFifo(p)) {
      return;
    }
    try (FileChannel c =
        FileChannel.open(
            p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      // opened and closed: a blocked opener on either end has now returned
    } catch (IOException e) {
      // gone already: nothing can be blocked on it any more
    }
  }

  /**
   * Deletes files, ignoring failures.
   *
   * @param paths the files
   */
  static void delete(Path... paths) {
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // best effort: the directory's owner reclaims it
      }
    }
  }

  /**
   * Closes quietly.
   *
   * @param c the channel, may be null
   */
  static void close(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // closing: nothing to report
      }
    }
  }

  /** Says why an open must be given up, or null to keep waiting. */
  interface Abort {
    /**
     * Checks.
     *
     * @return the failure to report, or null
     */
    IOException check();
  }

  /**
   * Opens FIFO ends in parallel (each blocks until its other end is opened), giving up when {@code
   * abort} says so: blocked opens are then released with {@link #unblock} and whatever opened is
   * closed.
   *
   * @param paths the FIFOs
   * @param forWrite for each, whether to open the write end
   * @param nonBlocking ends for the epoll engine (see {@link FifoEnd#open})
   * @param abort checked every few milliseconds while waiting
   * @return the ends, in the order of {@code paths}
   * @throws IOException the abort's reason, or an open's failure
   */
  static FifoEnd[] openAll(Path[] paths, boolean[] forWrite, boolean nonBlocking, Abort abort)
      throws IOException {
    List<Future<FifoEnd>> fs = new ArrayList<>();
    for (int i = 0; i < paths.length; i++) {
      Path p = paths[i];
      boolean w = forWrite[i];
      fs.add(FifoThreads.OPENERS.submit(() -> FifoEnd.open(p, w, nonBlocking)));
    }
    IOException failure = null;
    long waitMs = 1;
    while (failure == null && !fs.stream().allMatch(Future::isDone)) {
      failure = abort.check();
      if (failure == null) {
        try {
          fs.get(firstPending(fs)).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          waitMs = Math.min(50, waitMs * 2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = new InterruptedIOException("interrupted while opening FIFOs");
        }
      }
    }
    if (failure != null) {
      release(paths, fs);
    }
    FifoEnd[] out = new FifoEnd[paths.length];
    for (int i = 0; i < paths.length; i++) {
      try {
        out[i] = fs.get(i).get(failure == null ? Long.MAX_VALUE : 100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fs.get(i).cancel(true); // its FIFO vanished before it could be released: the opener stays
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure =
            failure != null
                ? failure
                : new InterruptedIOException("interrupted while opening FIFOs");
      }
    }
    if (failure != null) {
      for (FifoEnd c : out) {
        close(c);
      }
      throw failure;
    }
    return out;
  }

  /**
   * Releases the openers of an abandoned open, for up to 5 s. One release is not enough: an opener
   * that had not reached its {@code open} yet (a new thread under load) blocks after it, on a FIFO
   * nobody else will open, so each is released again until it returned.
   */
  private static void release(Path[] paths, List<Future<FifoEnd>> fs) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (int i = 0; i < paths.length; i++) {
      Future<FifoEnd> f = fs.get(i);
      while (!f.isDone() && System.nanoTime() - deadline < 0) {
        unblock(paths[i]);
        try {
          f.get(10, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // not yet (or failed, which is done too)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static int firstPending(List<Future<FifoEnd>> fs) {
    for (int i = 0; i < fs.size(); i++) {
      if (!fs.get(i).isDone()) {
        return i;
      }
    }
    return 0;
  }
}
