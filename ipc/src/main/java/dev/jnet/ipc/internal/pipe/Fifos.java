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
import java.util.concurrent.TimeUnit;

/**
 * The FIFO system calls jnet needs, with the JDK alone: {@code mkfifo(1)} (Java 17 has no {@code
 * mkfifo}; {@link FifoPool} runs it for many pairs at once), and the trick that releases an open
 * blocked on a FIFO (opening it {@code O_RDWR}, which never blocks on Linux, gives the blocked open
 * its missing other end), which {@link OpenWatchdog} uses. Stateless; every method may be called
 * from any thread, and none runs on an event loop but {@link #close}.
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
   * Tells whether a name is still there, without the exception that {@link Files#exists} (JDK 17)
   * makes for a missing file, once per accepted connection: it follows a link, which only the
   * directory's owner could have put there, and it only decides how long a lock is kept.
   *
   * @param p the path
   * @return true if it names something
   */
  static boolean linked(Path p) {
    return p.toFile().exists();
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
}
