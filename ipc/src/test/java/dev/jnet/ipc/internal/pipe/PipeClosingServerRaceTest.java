package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.Socket;
import dev.jnet.testkit.EventRecorder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that connects while its server closes: the server's directory still says "serving" when
 * the client looks, and its well-known FIFO is gone a moment later. The client must be refused at
 * once. A write-only open of that FIFO blocked on an unlinked FIFO nothing could release: the
 * connect took 5 s more, and so did every other connect of the JVM queued behind it on the one
 * announcing thread. Then the pair's open, aborted on the refusal, released its openers once: an
 * opener that reached its {@code open} after that blocked for good, and the client waited 5 s more
 * (1 run in 8).
 */
@Timeout(60)
class PipeClosingServerRaceTest {
  @TempDir Path tmp;

  @Test
  void aClientRacingAClosingServerIsRefusedAtOnceAndDoesNotHoldUpTheNextClient() throws Exception {
    Path dir =
        Files.createDirectory(
            tmp.resolve("svc"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path wellKnown = dir.resolve(PipeDirectory.WELL_KNOWN);
    assertThat(new ProcessBuilder("mkfifo", "-m", "600", wellKnown.toString()).start().waitFor())
        .isZero();
    Endpoint ep = Endpoint.parse("pipe:" + dir);
    long took;
    try (FileChannel lockFile =
            FileChannel.open(
                dir.resolve(PipeDirectory.LOCK),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        // held read-write, as a server holds it (protocol section 2, step 4), and never read
        FileChannel held =
            FileChannel.open(wellKnown, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock serving = lockFile.lock(); // the directory says "serving"; nobody reads its FIFO
      Socket racing = Net.createConnection(ep);
      EventRecorder events = EventRecorder.record(racing);
      awaitAnnouncedPair(dir); // the client is past its checks, announcing or waiting for its pair
      // the server closes: unlocks and unlinks its FIFO
      Files.delete(wellKnown);
      serving.release();
      held.close();
      long start = System.nanoTime();
      events.awaitClose();
      assertThat(events.error()).as("the client's error").isNotNull();
      assertThat(events.error().code())
          .as(events.error().toString())
          .isEqualTo(ErrorCode.ECONNREFUSED);
      events.assertSequence("error:ECONNREFUSED", "close:true");
      took = (System.nanoTime() - start) / 1_000_000;
    }
    assertThat(took).as("ms from the server's close to the client's refusal").isLessThan(2_000);
    // the next client of the JVM is not held up either: refused at once (nothing serves)
    Socket next = Net.createConnection(ep);
    long start = System.nanoTime();
    EventRecorder.record(next).awaitClose();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  private static void awaitAnnouncedPair(Path dir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.anyMatch(p -> p.getFileName().toString().endsWith(".up"))) {
          return;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the client never created its FIFO pair in " + dir);
  }
}
