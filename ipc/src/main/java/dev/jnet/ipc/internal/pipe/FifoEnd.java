package dev.jnet.ipc.internal.pipe;

import dev.jnet.ipc.internal.NonBlocking;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One open end of a FIFO, in the form its engine drives: a blocking {@link FileChannel} for the
 * thread engine, or a descriptor number with {@code O_NONBLOCK} set for the epoll engine. Opening
 * blocks in {@code open(2)} until the other end is opened, so it runs on an opener thread, never on
 * an event loop.
 *
 * <p>The JDK opens FIFOs only in blocking mode and never says the descriptor number. A non-blocking
 * end is therefore opened as a {@link FileInputStream} or {@link FileOutputStream} (the only JDK
 * types that give out their {@link FileDescriptor}, with {@link RandomAccessFile} for read-write);
 * junixsocket's public {@link FileDescriptorCast} turns that into the number and its native {@code
 * fcntl} wrapper (called reflectively, as {@code fd:} endpoints do) sets {@code O_NONBLOCK} on this
 * open file description, which is ours alone. The stream stays the owner: {@link #close()} closes
 * it, and nothing else ever closes the number. {@link FileOutputStream} and {@link
 * RandomAccessFile} open with {@code O_CREAT}: if the FIFO vanished just before the open, that made
 * a regular file, which is detected, deleted and reported as missing.
 *
 * <p>Thread-safe: {@link #close()} may race with use from another thread, as closing a channel may.
 */
final class FifoEnd implements Closeable {
  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;

  private final Closeable owner;
  private final FileChannel channel;
  private final SelectableChannel selectable;
  private final int fd;

  /** A byte read from this end before its engine took it over, or -1. */
  private volatile int unread = -1;

  /** This end's registration with its loop, kept for the engine that takes the end over. */
  private volatile FifoHandle kept;

  private FifoEnd(Closeable owner, FileChannel channel, SelectableChannel selectable, int fd) {
    this.owner = owner;
    this.channel = channel;
    this.selectable = selectable;
    this.fd = fd;
  }

  /**
   * Tells whether non-blocking ends can be made here: junixsocket's native library loaded and its
   * {@code fcntl} wrapper found.
   *
   * @return true if {@link #open} can make ends for the epoll engine
   */
  static boolean nonBlockingSupported() {
    try {
      return NonBlocking.supported();
    } catch (LinkageError e) {
      return false;
    }
  }

  /**
   * Opens a FIFO end, blocking until the other end is opened.
   *
   * @param p the FIFO
   * @param write the write end, else the read end
   * @param engine the engine the end is for: a blocking channel for the thread engine, else a
   *     non-blocking descriptor (selectable for {@link FifoEngine#SELECTOR})
   * @return the end
   * @throws IOException if the open fails, or the FIFO is gone
   */
  static FifoEnd open(Path p, boolean write, FifoEngine engine) throws IOException {
    if (!engine.nonBlocking()) {
      FileChannel c =
          FileChannel.open(
              p,
              write ? StandardOpenOption.WRITE : StandardOpenOption.READ,
              LinkOption.NOFOLLOW_LINKS);
      return new FifoEnd(c, c, null, -1);
    }
    if (engine == FifoEngine.SELECTOR) {
      return descriptor(NativeFifo.openBlocking(p, write), write, true);
    }
    if (write) {
      FileOutputStream s = new FileOutputStream(p.toFile());
      return nonBlocking(s, s::getFD, p, true);
    }
    FileInputStream s = new FileInputStream(p.toFile());
    return nonBlocking(s, s::getFD, p, false);
  }

  /**
   * Opens a FIFO end without blocking ({@link NativeFifo}, which must be {@linkplain
   * NativeFifo#available() available}): a read end opens at once, a write end only when the FIFO
   * has a reader.
   *
   * @param p the FIFO
   * @param write the write end, else the read end
   * @param selectable for {@link FifoEngine#SELECTOR}: owned by a selectable channel
   * @return the non-blocking end, or null for a write end that has no reader yet
   * @throws IOException if the FIFO is gone or the open fails
   */
  static FifoEnd openNow(Path p, boolean write, boolean selectable) throws IOException {
    int fd = NativeFifo.open(p, write);
    return fd < 0 ? null : descriptor(fd, write, selectable);
  }

  /** An end of a descriptor {@link NativeFifo} opened, which it owns from now on. */
  private static FifoEnd descriptor(int fd, boolean write, boolean selectable) throws IOException {
    if (selectable) {
      SelectableChannel c = SelectableFifo.wrap(fd, write);
      return new FifoEnd(c, null, c, fd);
    }
    AtomicBoolean closed = new AtomicBoolean();
    return new FifoEnd(
        () -> {
          if (closed.compareAndSet(false, true)) {
            NativeFifo.close(fd);
          }
        },
        null,
        null,
        fd);
  }

  /**
   * Opens a FIFO read-write, which never blocks on Linux: a server's well-known FIFO, which then
   * never reads EOF.
   *
   * @param p the FIFO
   * @param engine the engine the end is for, as in {@link #open}
   * @return the end
   * @throws IOException if the open fails, or the FIFO is gone
   */
  static FifoEnd openReadWrite(Path p, FifoEngine engine) throws IOException {
    if (!engine.nonBlocking()) {
      FileChannel c =
          FileChannel.open(
              p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      return new FifoEnd(c, c, null, -1);
    }
    if (engine == FifoEngine.SELECTOR) {
      return descriptor(NativeFifo.openReadWrite(p), false, true);
    }
    RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw");
    return nonBlocking(f, f::getFD, p, true);
  }

  /** How a JDK stream gives out its descriptor. */
  private interface Descriptor {
    FileDescriptor get() throws IOException;
  }

  private static FifoEnd nonBlocking(
      Closeable stream, Descriptor descriptor, Path p, boolean created) throws IOException {
    try {
      FileDescriptor d = descriptor.get();
      int n = FileDescriptorCast.using(d).as(Integer.class);
      if (created && !isFifo(n)) {
        throw vanished(p, stream);
      }
      NonBlocking.set(d);
      return new FifoEnd(stream, null, null, n);
    } catch (IOException | RuntimeException e) {
      Fifos.close(stream);
      throw e instanceof IOException io
          ? io
          : new IOException("cannot make a FIFO non-blocking: " + e, e);
    }
  }

  /**
   * The {@code O_CREAT} of {@link FileOutputStream} made a regular file where the FIFO was: undo
   * it.
   */
  private static IOException vanished(Path p, Closeable stream) {
    Fifos.close(stream);
    try {
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
        Files.delete(p);
      }
    } catch (IOException e) {
      // gone meanwhile: nothing to undo
    }
    return new NoSuchFileException(p.toString(), null, "the FIFO vanished before it was opened");
  }

  private static boolean isFifo(int fd) {
    try {
      Object mode = Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:mode");
      return (((Integer) mode) & S_IFMT) == S_IFIFO;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return true; // no /proc: trust the open
    }
  }

  /**
   * Returns the blocking channel (thread engine only).
   *
   * @return the channel
   */
  FileChannel channel() {
    if (channel == null) {
      throw new IllegalStateException("a non-blocking FIFO end has no blocking channel");
    }
    return channel;
  }

  /**
   * Returns the selectable channel that owns this end's descriptor ({@link FifoEngine#SELECTOR}
   * only).
   *
   * @return the channel
   */
  SelectableChannel selectable() {
    if (selectable == null) {
      throw new IllegalStateException("this FIFO end is not selectable");
    }
    return selectable;
  }

  /**
   * Returns the non-blocking descriptor number (epoll engine only). Valid until {@link #close()}.
   *
   * @return the number
   */
  int fd() {
    if (fd < 0) {
      throw new IllegalStateException("a blocking FIFO end has no descriptor number");
    }
    return fd;
  }

  /**
   * Hands back a byte read from a read end before its engine took it over: the engine delivers it
   * before anything it reads.
   *
   * @param b the byte
   */
  void unread(byte b) {
    unread = b & 0xff;
  }

  /**
   * Writes a few bytes at once to a non-blocking write end (what a FIFO takes atomically: less than
   * {@code PIPE_BUF}).
   *
   * @param bytes the bytes
   * @return how many were written, 0 if the FIFO is full
   * @throws IOException if the write fails (the reader left)
   */
  int write(byte[] bytes) throws IOException {
    ByteBuffer b = LINE.get();
    b.clear().put(bytes);
    return raw().write(b, 0, bytes.length);
  }

  /**
   * Writes the accept byte ({@link Handshake#ACCEPT_BYTE}) on a fresh write end, before anything
   * else: never blocks (a FIFO that nobody wrote to has room for it).
   *
   * @return false if the FIFO had no room (its client filled it: a protocol violation)
   * @throws IOException if the write fails (the reader left)
   */
  boolean writeAcceptByte() throws IOException {
    byte[] accept = {Handshake.ACCEPT_BYTE};
    return (channel != null ? channel.write(ByteBuffer.wrap(accept)) : write(accept)) == 1;
  }

  /**
   * Tells whether the read end of a FIFO opened without blocking ({@link #openNow}) has a writer,
   * by reading at most one byte: a byte read is {@linkplain #unread handed back}.
   *
   * @return -1 if it has no writer now, 0 if its writer has sent nothing yet, 1 if a byte came
   * @throws IOException if the read fails
   */
  int probeWriter() throws IOException {
    int n = readOne();
    if (n > 0) {
      unread(PROBE.get().get(0));
    }
    return n;
  }

  /**
   * Reads the accept byte ({@link Handshake#ACCEPT_BYTE}) from a read end opened without blocking,
   * and nothing after it.
   *
   * @return 1 once it came, 0 if nothing came yet, -1 if the writer left without it
   * @throws IOException if the read fails, or the first byte is another (a protocol violation)
   */
  int readAcceptByte() throws IOException {
    int n = readOne();
    byte first = PROBE.get().get(0);
    if (n > 0 && first != Handshake.ACCEPT_BYTE) {
      throw new java.net.ProtocolException(
          "pipe: the server sent " + (first & 0xff) + " where the accept byte (0) belongs");
    }
    return n;
  }

  /**
   * Reads at most one byte of a non-blocking end into this thread's {@link #PROBE}.
   *
   * @return 1, 0 for nothing yet ({@code EAGAIN}), -1 for EOF
   */
  private int readOne() throws IOException {
    return raw().read(PROBE.get(), 0, 1);
  }

  /** Netty's view of the descriptor, for its native calls; it never closes it. */
  private io.netty.channel.unix.FileDescriptor raw() {
    return new io.netty.channel.unix.FileDescriptor(fd());
  }

  private static final ThreadLocal<ByteBuffer> LINE =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(Handshake.MAX_ASKING_LINE));

  private static final ThreadLocal<ByteBuffer> PROBE =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1));

  /**
   * Takes the byte {@link #unread} handed back, once.
   *
   * @return the byte, or -1 if there is none
   */
  int takeUnread() {
    int b = unread;
    unread = -1;
    return b;
  }

  /**
   * Keeps this end's registration with its loop for the engine that takes the end over ({@link
   * #takeHandle}), on the same loop: no {@code epoll_ctl} to remove it and add it again.
   *
   * @param h the registered handle of this end
   */
  void keepHandle(FifoHandle h) {
    kept = h;
  }

  /**
   * Takes the registration {@link #keepHandle} kept, once.
   *
   * @return the handle, or null if there is none
   */
  FifoHandle takeHandle() {
    FifoHandle h = kept;
    kept = null;
    return h;
  }

  /**
   * Closes the end; idempotent. A registration still {@linkplain #keepHandle kept} (nobody took the
   * end over) is cancelled first; that happens on its loop, where an end with a kept registration
   * is closed.
   */
  @Override
  public void close() {
    FifoHandle h = takeHandle();
    if (h != null) {
      h.close(); // cancels, then comes back here
      return;
    }
    Fifos.close(owner);
  }
}
