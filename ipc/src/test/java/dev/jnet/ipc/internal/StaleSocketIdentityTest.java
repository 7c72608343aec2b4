package dev.jnet.ipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnet.ipc.internal.StaleSocket.Identity;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket bound where a stale one was deleted is another file, even when the filesystem gives it
 * the deleted one's inode number (ext4 does at once): a reclaimer that examined the stale socket
 * must not take the new one for it. Comparing device and inode alone let a slow racer delete the
 * winner's fresh socket, and two servers both reported listening (one loaded CI run in three).
 */
class StaleSocketIdentityTest {
  @TempDir Path dir;

  @Test
  void aNewSocketWithTheInodeNumberOfADeletedOneIsNotTakenForIt() throws Exception {
    Path p = dir.resolve("s.sock");
    for (int attempt = 0; attempt < 20; attempt++) {
      Identity stale = bindAndClose(p);
      // a stale socket is older than the examination: let the clock move past its timestamp
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (Files.getLastModifiedTime(p).toMillis() + 20 > System.currentTimeMillis()
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      Files.delete(p);
      Identity fresh = bindAndClose(p);
      Files.delete(p);
      if (fresh.ino().equals(stale.ino()) && fresh.dev().equals(stale.dev())) {
        assertThat(fresh.sameFile(stale)).as("same inode number, another socket").isFalse();
        return;
      }
    }
    assumeTrue(false, "this filesystem gave no new socket the inode number of a deleted one");
  }

  private static Identity bindAndClose(Path p) throws Exception {
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(p));
    }
    return Identity.of(p).orElseThrow();
  }
}
