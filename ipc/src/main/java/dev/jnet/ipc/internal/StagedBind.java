package dev.jnet.ipc.internal;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import dev.jnet.ipc.internal.StaleSocket.Identity;
import dev.jnet.spi.Log;
import dev.jnet.spi.SystemErrors;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@link SafeBind}'s fallback where {@code /proc/self/fd} cannot set the mode of an unbound socket
 * (not Linux, or a JDK whose channel hides its descriptor number): the socket is bound in a private
 * staging directory beside the path, given its mode there, then hard-linked into place ({@code
 * link(2)} never replaces a file; a path taken meanwhile is cleared as in a bind in place).
 *
 * <p>Threads: one per bind, off the loop, as {@link SafeBind}.
 *
 * @param plan the bind in progress
 * @param dir the directory of the path
 */
record StagedBind(SafeBind plan, Path dir) {
  void bind() throws NetException {
    Path staging = dir.resolve(SafeBind.randomName());
    Path file = staging.resolve("s");
    if (SafeBind.bytes(file) > UnixTransport.MAX_PATH_BYTES) {
      throw plan.error(
          ErrorCode.ENAMETOOLONG,
          "without /proc/self/fd to set the mode before bind, jnet binds"
              + " in a staging directory beside the path, and "
              + file
              + " is "
              + SafeBind.bytes(file)
              + " bytes");
    }
    try {
      Files.createDirectory(
          staging,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw plan.error(ErrorCode.EACCES, "cannot create " + staging + ": " + e.getMessage());
    }
    try {
      bindAndLink(file);
    } finally {
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(staging);
      } catch (IOException e) {
        Log.fine(() -> "jnet: cannot clean " + staging + ": " + e);
      }
    }
  }

  private void bindAndLink(Path file) throws NetException {
    UnixListener socket = plan.socket();
    try {
      socket.bindAndListen(file, plan.options().backlog());
      Files.setAttribute(
          file, "unix:mode", plan.options().mode()); // a private directory: nothing to swap
      Identity staged = Identity.of(file).orElseThrow();
      plan.identity(staged);
      plan.applyGroupAndMode(file, file.getParent());
    } catch (IOException e) {
      throw SystemErrors.map(e, "listen", plan.path().toString());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createLink(plan.path(), file);
        return;
      } catch (FileAlreadyExistsException e) {
        if (attempt == SafeBind.ATTEMPTS) {
          throw plan.error(
              ErrorCode.EADDRINUSE,
              "the path was taken again after each of " + SafeBind.ATTEMPTS + " attempts");
        }
        plan.clearStale();
      } catch (IOException e) {
        throw plan.error(ErrorCode.EACCES, "cannot link the socket into place: " + e.getMessage());
      }
    }
  }
}
