package dev.jnet.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's effective user id, read once from {@code /proc/self} (owned by the effective uid).
 */
final class ProcessIds {
  private static final int UID = readUid();

  private ProcessIds() {}

  static int uid() {
    return UID;
  }

  private static int readUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -2;
    }
  }
}
