package dev.jnet.ipc.internal.pipe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reclaims what clients that died before announcing themselves left in a listening server's
 * directory: a FIFO pair ({@code <ID>.up}, {@code <ID>.down}) that nobody announced within the open
 * deadline (10 s) of its creation is deleted. A client announces right after creating its pair, so
 * only a dead (or hopelessly late) one's pair is that old; a late client then fails its own open
 * with {@code ENOENT}, never silently.
 *
 * <p>Stateless; runs on an opener thread, never on an event loop.
 */
final class Leftovers {
  private Leftovers() {}

  /**
   * Deletes unannounced FIFO pairs older than a limit.
   *
   * @param dir the server's directory
   * @param inFlight IDs announced and being opened: left alone
   * @param olderThanMs the age beyond which an unannounced FIFO is a leftover
   */
  static void reclaim(Path dir, Set<String> inFlight, long olderThanMs) {
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{up,down}")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.lastIndexOf('.'));
        if (!inFlight.contains(id) && Fifos.isFifo(p) && now - modified(p) > olderThanMs) {
          Fifos.delete(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the server closed meanwhile; its close deletes every FIFO
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE; // gone: nothing to reclaim
    }
  }
}
