package dev.jnet.ipc.internal.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeFifo}: reachable where the build opens {@code java.base/sun.nio.fs} (every test
 * execution but {@code pipe-portable}, which turns it off and checks that it is off), and the calls
 * behave as the protocol needs: FIFOs of mode 0600, never made or opened through a link, a read end
 * that opens at once, a write end that says when it has no reader.
 */
class NativeFifoTest {
  private static final boolean PORTABLE = "false".equals(System.getProperty("jnet.pipe.native"));

  @Test
  void isAvailableExactlyWhereTheBuildExpectsIt() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
    assertThat(NativeFifo.available())
        .as("jnet.pipe.native=%s with --add-opens java.base/sun.nio.fs", !PORTABLE)
        .isEqualTo(!PORTABLE);
  }

  @Test
  void fifosAreSelectableExactlyWhereTheBuildExpectsIt() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
    assertThat(SelectableFifo.available())
        .as(
            "jnet.pipe.native=%s with --add-opens java.base/sun.nio.ch: the NIO engine's FIFOs on its loops",
            !PORTABLE)
        .isEqualTo(!PORTABLE);
  }

  @Test
  void makesA0600FifoOwnedByThisUserAndNeverReplacesANameOrFollowsALink() throws Exception {
    Path f = freshFifo();
    Path dir = f.getParent();
    assertThat(Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0010600);
    assertThat(Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PipeTrust.euid());
    assertThatThrownBy(() -> NativeFifo.make(f)).isInstanceOf(FileAlreadyExistsException.class);
    Path target = dir.resolve("target");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    assertThatThrownBy(() -> NativeFifo.make(link)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(target).as("nothing made through the link").doesNotExist();
    assertThatThrownBy(() -> NativeFifo.make(dir.resolve("gone/f")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void opensAReadEndAtOnceAndAWriteEndOnlyWithAReaderNeverThroughALink() throws Exception {
    Path f = freshFifo();
    Path dir = f.getParent();
    assertThat(NativeFifo.open(f, true)).as("no reader: ENXIO").isEqualTo(-1);
    int r = NativeFifo.open(f, false);
    try {
      int w = NativeFifo.open(f, true);
      assertThat(w).as("a write end once a reader is there").isGreaterThanOrEqualTo(0);
      NativeFifo.close(w);
    } finally {
      NativeFifo.close(r);
    }
    Path link = Files.createSymbolicLink(dir.resolve("link"), f);
    assertThatThrownBy(() -> NativeFifo.open(link, false))
        .as("O_NOFOLLOW")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> NativeFifo.open(dir.resolve("missing"), false))
        .isInstanceOf(NoSuchFileException.class);
  }

  /** A FIFO NativeFifo made in a fresh directory; skips the test where NativeFifo is off. */
  private static Path freshFifo() throws Exception {
    assumeTrue(NativeFifo.available(), "NativeFifo is off here");
    Path f = Files.createDirectories(PipeFixture.freshDir()).resolve("f");
    NativeFifo.make(f);
    return f;
  }
}
