package dev.jnet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A test JVM's own temporary folder, removed with everything in it when the JVM exits. ({@code
 * File#deleteOnExit} removes only an empty folder, and the fixtures' folders hold the socket files
 * and FIFOs the tests leave, so each run left one behind.)
 *
 * <p>Thread-safe: stateless.
 */
public final class TempDirs {
  private TempDirs() {}

  /**
   * Creates a temporary folder that is deleted, contents and all, at JVM exit.
   *
   * @param prefix the folder's name prefix
   * @return the folder
   */
  public static Path deletedAtExit(String prefix) {
    try {
      Path d = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d), "delete " + d));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a folder and what it holds, ignoring what cannot be deleted (not following links).
   *
   * @param root the folder
   */
  public static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // another uid's file, or gone: best effort at exit
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // gone already
    }
  }
}
