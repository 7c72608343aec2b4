package dev.jnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A copy of the checkout's layout as the {@code ./jnet} launcher sees it: the script and the built
 * jar (with Netty's native library beside it), no sources, so the launcher never calls Maven.
 */
final class LauncherCopy {
  private static final Path CLI_TARGET =
      Path.of(System.getProperty("jnet.jar", "target/jnet.jar")).toAbsolutePath().getParent();
  private static final String NATIVE =
      "native/META-INF/native/libnetty_transport_native_epoll_x86_64.so";

  private LauncherCopy() {}

  /**
   * Lays the launcher and the jar out under a folder.
   *
   * @param root the folder, which becomes the checkout's root
   * @return the launcher, {@code ROOT/jnet}
   * @throws IOException if a copy fails
   */
  static Path create(Path root) throws IOException {
    Path target = Files.createDirectories(root.resolve("cli/target"));
    Path launcher = root.resolve("jnet");
    Files.copy(
        CLI_TARGET.getParent().getParent().resolve("jnet"),
        launcher,
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(CLI_TARGET.resolve("jnet.jar"), target.resolve("jnet.jar"));
    Path lib = CLI_TARGET.resolve(NATIVE);
    if (Files.exists(lib)) {
      Files.createDirectories(target.resolve(NATIVE).getParent());
      Files.copy(lib, target.resolve(NATIVE));
    }
    return launcher;
  }
}
