package dev.jnet.ipc.internal.pipe;

import java.io.IOException;
import java.nio.file.Path;

/**
 * This user's private jnet folder ({@code $XDG_RUNTIME_DIR/jnet}, else {@code
 * java.io.tmpdir/jnet-USER}): the home of named pipes and of the Unix bind lock. Created with mode
 * 0700; one that is a link, or another user's, is refused.
 *
 * <p>Stateless; safe from any thread.
 */
public final class UserFolder {
  private UserFolder() {}

  /**
   * Returns the folder, created or checked.
   *
   * @param endpoint for errors
   * @return the folder, owned by this user with mode 0700
   * @throws IOException if another user controls it, or it cannot be made
   */
  public static Path get(String endpoint) throws IOException {
    Path base = PipeDirectory.base();
    PipeTrust.makePrivate(base, endpoint);
    return base;
  }
}
