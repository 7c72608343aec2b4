package dev.jnet.cli.spec;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * A failed read, write or open of a local file, pipe or terminal (stdin, stdout, {@code file:},
 * {@code fifo:}), named as the C library names it: {@code write ENOSPC stdout: no space left on
 * device}. The JDK's exceptions carry either the reason ({@code "No space left on device"}) or, for
 * the {@code java.nio.file} ones, only the path; both become an errno name and its text.
 *
 * @param code the errno name, {@code ENOSPC}
 * @param reason the C library's text for it, lower case
 */
public record FileError(String code, String reason) {
  private static final String[][] KNOWN = {
    {"ENOSPC", "no space left on device"},
    {"EISDIR", "is a directory"},
    {"ENOTDIR", "not a directory"},
    {"EACCES", "permission denied"},
    {"EPERM", "operation not permitted"},
    {"ENOENT", "no such file or directory"},
    {"EPIPE", "broken pipe"},
    {"EROFS", "read-only file system"},
    {"EDQUOT", "disk quota exceeded"},
    {"EFBIG", "file too large"},
    {"EMFILE", "too many open files"},
    {"ENFILE", "too many open files in system"},
    {"ENXIO", "no such device or address"},
    {"EIO", "input/output error"},
  };

  /**
   * Names a failure.
   *
   * @param e what the JDK threw
   * @return its errno name and text; {@code EIO} with the JDK's message when it is not one of the
   *     known ones
   */
  public static FileError of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return new FileError("ENOENT", "no such file or directory");
    }
    if (e instanceof AccessDeniedException) {
      return new FileError("EACCES", "permission denied");
    }
    if (e instanceof NotDirectoryException) {
      return new FileError("ENOTDIR", "not a directory");
    }
    String text =
        e instanceof FileSystemException fse && fse.getReason() != null
            ? fse.getReason()
            : e.getMessage();
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    for (String[] known : KNOWN) {
      if (lower.contains(known[1])) {
        return new FileError(known[0], known[1]);
      }
    }
    return new FileError(
        "EIO", text == null || text.isBlank() ? e.getClass().getSimpleName() : text);
  }

  /**
   * Tells whether the reader of a pipe went away ({@code | head}): not a failure of ours to report.
   */
  public boolean isBrokenPipe() {
    return code.equals("EPIPE");
  }

  /**
   * The one-line message.
   *
   * @param syscall {@code read}, {@code write}, {@code open}
   * @param subject what was read or written: {@code stdout}, a path
   * @return {@code write ENOSPC stdout: no space left on device}
   */
  public String message(String syscall, String subject) {
    return syscall + " " + code + " " + subject + ": " + reason;
  }

  /**
   * The failure as a command's outcome, with the exit code of the table: 9 for a permission, else
   * 1.
   *
   * @param syscall {@code read}, {@code write}, {@code open}
   * @param subject what was read or written
   * @return the failure to throw
   */
  public CommandFailure failure(String syscall, String subject) {
    return new CommandFailure(exitCode(), message(syscall, subject));
  }

  /**
   * The failure as a socket's error, for a socket destroyed because its local end failed: its code
   * decides the exit code as for {@link #failure} ({@code EACCES}, else {@code EIO}), its message
   * names the real errno.
   *
   * @param syscall {@code read}, {@code write}, {@code open}
   * @param subject what was read or written
   * @return the error
   */
  public NetException error(String syscall, String subject) {
    ErrorCode c =
        isPermission()
            ? ErrorCode.EACCES
            : code.equals("EMFILE") ? ErrorCode.EMFILE : ErrorCode.EIO;
    return NetException.withMessage(c, syscall, subject, message(syscall, subject));
  }

  private boolean isPermission() {
    return code.equals("EACCES") || code.equals("EPERM");
  }

  private int exitCode() {
    return isPermission() ? ExitCodes.PERMISSION_DENIED : ExitCodes.ERROR;
  }
}
