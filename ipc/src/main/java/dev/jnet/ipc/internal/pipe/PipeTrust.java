package dev.jnet.ipc.internal.pipe;

import dev.jnet.ErrorCode;
import dev.jnet.NetException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Who may own a {@code pipe:}'s files, and the {@code lstat}-style checks that say they do (see
 * "Trust" in {@code docs/pipe-protocol.md}). Nothing here follows a symbolic link: attributes are
 * read with {@code NOFOLLOW_LINKS}, and a mode is changed through a descriptor opened with {@code
 * O_NOFOLLOW}.
 *
 * <p>A server creates its directories with mode 0700, or takes an existing one only if it owns it,
 * is not a link, and (after a {@code chmod} of its own directory) has mode 0700; a directory owned
 * by anyone else is refused with {@code EACCES} and left as it was. A client, before it writes
 * anything, checks that the directories and the well-known FIFO belong to the uid it expects (its
 * own, or {@code SocketOptions.withPeerUid}), are no links, and that no other user can write into
 * the directories.
 *
 * <p>Stateless; every method may be called from any thread (they do file-system calls: never on an
 * event loop).
 */
final class PipeTrust {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFLNK = 0120000;
  private static final int STICKY = 01000;
  private static final int EUID = readEuid();

  private PipeTrust() {}

  /** Whom a client expects to find: the server's uid, and its gid if required. */
  record Expect(int uid, OptionalInt gid) {
    /** This process's own uid, any gid: the default of a {@code pipe:} client. */
    static Expect self() {
      return new Expect(euid(), OptionalInt.empty());
    }
  }

  /** What {@code lstat} says about a path. */
  record Stat(int mode, int uid, int gid, Object key) {
    boolean is(int type) {
      return (mode & S_IFMT) == type;
    }

    int perms() {
      return mode & 07777;
    }

    boolean isFifo() {
      return is(S_IFIFO);
    }
  }

  /**
   * Returns this process's effective uid ({@code /proc/self} is owned by it).
   *
   * @return the uid, or -2 if unknown
   */
  static int euid() {
    return EUID;
  }

  private static int readEuid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -2;
    }
  }

  /**
   * Reads a path's attributes without following a link.
   *
   * @param p the path
   * @return its attributes
   * @throws IOException {@link NoSuchFileException} if missing
   */
  static Stat lstat(Path p) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(p, "unix:mode,uid,gid,fileKey", LinkOption.NOFOLLOW_LINKS);
    return new Stat(
        (Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), a.get("fileKey"));
  }

  /**
   * A server's directory: creates it with mode 0700, or takes an existing one this process owns
   * (setting its mode to 0700 through an {@code O_NOFOLLOW} descriptor, and checking afterwards
   * that it is still the same directory).
   *
   * @param dir the directory
   * @param endpoint for errors
   * @throws IOException {@code EACCES} if it is a link or another user's, {@code EADDRINUSE} if not
   *     a directory
   */
  static void makePrivate(Path dir, String endpoint) throws IOException {
    checkParent(dir, "listen", endpoint);
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // checked below, as one that was there
    }
    Stat s = lstat(dir);
    if (s.is(S_IFLNK)) {
      throw denied("listen", endpoint, dir + " is a symbolic link (jnet does not follow links)");
    }
    if (!s.is(S_IFDIR)) {
      throw NetException.withMessage(
          ErrorCode.EADDRINUSE,
          "listen",
          endpoint,
          "listen EADDRINUSE: address already"
              + " in use "
              + endpoint
              + " ("
              + dir
              + " is a file that is not a directory)");
    }
    if (s.uid() != euid()) {
      throw denied(
          "listen",
          endpoint,
          notOwned(dir, s, euid()) + "; refusing a directory another user controls");
    }
    if (s.perms() != 0700) {
      Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(PosixFilePermissions.fromString("rwx------"));
      Stat t = lstat(dir);
      if (!Objects.equals(t.key(), s.key())
          || t.uid() != euid()
          || t.perms() != 0700
          || !t.is(S_IFDIR)) {
        throw denied("listen", endpoint, dir + " changed while jnet made it private");
      }
    }
  }

  /**
   * A client's check of a directory: it exists, is a directory and no link, belongs to the expected
   * uid, and no other user can write into it.
   *
   * @param dir the directory
   * @param expect whom the client expects
   * @param endpoint for errors
   * @throws IOException {@code ENOENT} if missing, {@code EACCES} otherwise
   */
  static void checkDirectory(Path dir, Expect expect, String endpoint) throws IOException {
    Stat s = existing(dir, endpoint);
    if (s.is(S_IFLNK)) {
      throw denied("connect", endpoint, dir + " is a symbolic link (jnet does not follow links)");
    }
    if (!s.is(S_IFDIR)) {
      throw NetException.withMessage(
          ErrorCode.ENOENT, "connect", endpoint, "connect ENOENT " + endpoint);
    }
    if (s.uid() != expect.uid()) {
      throw denied("connect", endpoint, notOwned(dir, s, expect.uid()));
    }
    if ((s.perms() & 0022) != 0) {
      throw denied(
          "connect",
          endpoint,
          dir
              + " (uid "
              + s.uid()
              + ") has mode "
              + Integer.toOctalString(s.perms())
              + ": other users could plant FIFOs in it; expected uid "
              + expect.uid()
              + " and mode 0700");
    }
    checkParent(dir, "connect", endpoint);
  }

  /**
   * A client's check of the server's well-known FIFO: no link, a FIFO, owned by the expected uid
   * (and gid).
   *
   * @param fifo the FIFO
   * @param expect whom the client expects
   * @param endpoint for errors
   * @return its attributes: the server's credentials
   * @throws NetException {@code ENOENT} if missing, {@code ECONNREFUSED} if not a FIFO, {@code
   *     EACCES} otherwise
   */
  static Stat checkWellKnown(Path fifo, Expect expect, String endpoint) throws NetException {
    Stat s = existing(fifo, endpoint);
    if (s.is(S_IFLNK)) {
      throw denied("connect", endpoint, fifo + " is a symbolic link (jnet does not follow links)");
    }
    if (!s.is(S_IFIFO)) {
      throw NetException.withMessage(
          ErrorCode.ECONNREFUSED, "connect", endpoint, "connect ECONNREFUSED " + endpoint);
    }
    if (s.uid() != expect.uid()) {
      throw denied("connect", endpoint, notOwned(fifo, s, expect.uid()));
    }
    if (expect.gid().isPresent() && s.gid() != expect.gid().getAsInt()) {
      throw denied(
          "connect",
          endpoint,
          fifo + " belongs to gid " + s.gid() + ", expected gid " + expect.gid().getAsInt());
    }
    return s;
  }

  /**
   * Checks a FIFO this process just made: a FIFO it owns, no link.
   *
   * @param fifo the FIFO
   * @throws IOException if it is anything else
   */
  static void checkOwnFifo(Path fifo) throws IOException {
    Stat s = lstat(fifo);
    if (!s.is(S_IFIFO) || s.uid() != euid()) {
      throw new IOException(
          fifo
              + " is not the FIFO this process made (mode "
              + Integer.toOctalString(s.mode())
              + ", uid "
              + s.uid()
              + ")");
    }
  }

  /**
   * The directory above one jnet creates: anyone who may write there without the sticky bit could
   * rename jnet's directory away and put theirs in its place.
   */
  private static void checkParent(Path dir, String syscall, String endpoint) throws IOException {
    Path parent = dir.getParent();
    if (parent == null) {
      return;
    }
    Stat s;
    try {
      s = Files.isSymbolicLink(parent) ? lstat(parent.toRealPath()) : lstat(parent);
    } catch (NoSuchFileException e) {
      return; // creating the directory fails with ENOENT
    }
    if ((s.perms() & 0022) != 0 && (s.perms() & STICKY) == 0) {
      throw denied(
          syscall,
          endpoint,
          parent
              + " (uid "
              + s.uid()
              + ", mode "
              + Integer.toOctalString(s.perms())
              + ") lets other users replace "
              + dir.getFileName()
              + "; use a directory without that, or a sticky one");
    }
  }

  private static Stat existing(Path p, String endpoint) throws NetException {
    try {
      return lstat(p);
    } catch (NoSuchFileException e) {
      throw NetException.withMessage(
          ErrorCode.ENOENT, "connect", endpoint, "connect ENOENT " + endpoint);
    } catch (IOException e) {
      throw NetException.withMessage(
          ErrorCode.EACCES,
          "connect",
          endpoint,
          "connect EACCES " + endpoint + " (" + p + ": " + e.getMessage() + ")");
    }
  }

  private static String notOwned(Path p, Stat s, int expected) {
    return p + " belongs to uid " + s.uid() + ", expected uid " + expected;
  }

  private static NetException denied(String syscall, String endpoint, String why) {
    return NetException.withMessage(
        ErrorCode.EACCES, syscall, endpoint, syscall + " EACCES " + endpoint + " (" + why + ")");
  }
}
