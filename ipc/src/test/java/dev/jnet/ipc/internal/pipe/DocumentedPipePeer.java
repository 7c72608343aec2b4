package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import dev.jnet.testkit.ForeignConnection;
import dev.jnet.testkit.ForeignPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code pipe:} peer written from {@code docs/pipe-protocol.md} alone, with the JDK's {@link
 * FileChannel}s on FIFOs and {@code mkfifo(1)}; it uses nothing of jnet's transport. The kit's
 * {@link ForeignConnection} drives a {@link SocketChannel}, so each connection's FIFO pair is
 * relayed to one end of a loopback TCP socket pair by two threads: FIFO EOF becomes a socket
 * half-close and a socket EOF closes the FIFO's writer, byte for byte.
 */
final class DocumentedPipePeer implements ForeignPeer {
  private static final Duration OPEN_WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger SEQ = new AtomicInteger();

  @Override
  public ForeignConnection connect(Endpoint endpoint) throws IOException {
    Path dir = Path.of(endpoint.address());
    Path wellKnown = dir.resolve("pipe");
    if (!Files.exists(wellKnown)) {
      throw new NoSuchFileException(wellKnown.toString());
    }
    String id = "peer" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
    Path up = dir.resolve(id + ".up");
    Path down = dir.resolve(id + ".down");
    mkfifo(up, down);
    try {
      try (FileChannel w = open(wellKnown, StandardOpenOption.WRITE)) {
        w.write(
            ByteBuffer.wrap(
                ("JNETPIPE1 " + id + " " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
      }
      CompletableFuture<FileChannel> toServer = openAsync(up, StandardOpenOption.WRITE);
      CompletableFuture<FileChannel> fromServer = openAsync(down, StandardOpenOption.READ);
      return relay(await(fromServer, down), await(toServer, up));
    } finally {
      Files.deleteIfExists(up);
      Files.deleteIfExists(down);
    }
  }

  @Override
  public ForeignConnection startConnect(Endpoint endpoint) throws IOException {
    return connect(endpoint);
  }

  @Override
  public ForeignServer listen(Endpoint endpoint) throws IOException {
    return listen(endpoint, 16);
  }

  @Override
  public ForeignServer listen(Endpoint endpoint, int backlog) throws IOException {
    return new Listener(endpoint);
  }

  static void mkfifo(Path... paths) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mkfifo", "-m", "600"));
    for (Path p : paths) {
      cmd.add(p.toString());
    }
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("mkfifo failed: " + cmd);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static FileChannel open(Path p, StandardOpenOption mode) throws IOException {
    return FileChannel.open(p, mode);
  }

  private static CompletableFuture<FileChannel> openAsync(Path p, StandardOpenOption mode) {
    CompletableFuture<FileChannel> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(open(p, mode));
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "pipe-peer-open");
    t.setDaemon(true);
    t.start();
    return f;
  }

  /**
   * Waits for an open; on timeout, releases it by opening the FIFO read-write (never blocks on
   * Linux).
   */
  private static FileChannel await(CompletableFuture<FileChannel> f, Path fifo) throws IOException {
    try {
      return f.get(OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      try (FileChannel c =
          FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        f.thenAccept(DocumentedPipePeer::closeQuietly);
      }
      throw new SocketTimeoutException("the other side did not open " + fifo);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Relays a FIFO pair to a socket pair; returns the test's end. */
  static ForeignConnection relay(FileChannel in, FileChannel out) throws IOException {
    SocketChannel[] pair = socketPair();
    SocketChannel mine = pair[1];
    AtomicInteger live = new AtomicInteger(2);
    Runnable finished =
        () -> {
          if (live.decrementAndGet() == 0) {
            closeQuietly(mine);
          }
        };
    start(
        "pipe-peer-down",
        () -> {
          ByteBuffer b = ByteBuffer.allocate(64 * 1024);
          try {
            while (in.read(b.clear()) >= 0) {
              b.flip();
              while (b.hasRemaining()) {
                mine.write(b);
              }
            }
            mine.shutdownOutput();
          } catch (IOException e) {
            // the test closed its end: stop reading, which the writer on the other side sees as
            // EPIPE
          } finally {
            closeQuietly(in);
            finished.run();
          }
        });
    start(
        "pipe-peer-up",
        () -> {
          ByteBuffer b = ByteBuffer.allocate(64 * 1024);
          try {
            while (mine.read(b.clear()) >= 0) {
              b.flip();
              while (b.hasRemaining()) {
                out.write(b);
              }
            }
          } catch (IOException e) {
            // the reader went away
          } finally {
            closeQuietly(out);
            finished.run();
          }
        });
    return ForeignConnection.of(pair[0]);
  }

  private static SocketChannel[] socketPair() throws IOException {
    try (ServerSocketChannel ss = ServerSocketChannel.open()) {
      ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      SocketChannel a = SocketChannel.open(ss.getLocalAddress());
      return new SocketChannel[] {a, ss.accept()};
    }
  }

  private static void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing
    }
  }

  /**
   * A server per the document: private directory, lock, well-known FIFO, one reader of handshake
   * lines.
   */
  private static final class Listener implements ForeignServer {
    private final Endpoint endpoint;
    private final Path dir;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final FileChannel wellKnown;
    private final BlockingQueue<ForeignConnection> accepted = new LinkedBlockingQueue<>();
    private volatile boolean open = true;

    Listener(Endpoint endpoint) throws IOException {
      this.endpoint = endpoint;
      this.dir = Path.of(endpoint.address());
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      lockFile =
          FileChannel.open(
              dir.resolve("lock"),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      lock = lockFile.lock();
      mkfifo(dir.resolve("pipe"));
      wellKnown =
          FileChannel.open(dir.resolve("pipe"), StandardOpenOption.READ, StandardOpenOption.WRITE);
      start("pipe-peer-accept", this::readLines);
    }

    private void readLines() {
      ByteBuffer b = ByteBuffer.allocate(4096);
      StringBuilder line = new StringBuilder();
      try {
        while (open && wellKnown.read(b.clear()) > 0) {
          for (int i = 0; i < b.position(); i++) {
            char c = (char) b.get(i);
            if (c == '\n') {
              String[] parts = line.toString().split(" ");
              line.setLength(0);
              if (parts.length == 3 && parts[0].equals("JNETPIPE1")) {
                String id = parts[1];
                start("pipe-peer-accept-one", () -> acceptOne(id));
              }
            } else {
              line.append(c);
            }
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void acceptOne(String id) {
      Path up = dir.resolve(id + ".up");
      Path down = dir.resolve(id + ".down");
      CompletableFuture<FileChannel> fromClient = openAsync(up, StandardOpenOption.READ);
      CompletableFuture<FileChannel> toClient = openAsync(down, StandardOpenOption.WRITE);
      try {
        accepted.add(relay(await(fromClient, up), await(toClient, down)));
      } catch (IOException e) {
        // the client gave up
      }
    }

    @Override
    public Endpoint endpoint() {
      return endpoint;
    }

    @Override
    public ForeignConnection accept(Duration timeout) throws IOException {
      try {
        ForeignConnection c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
          throw new SocketTimeoutException("no connection within " + timeout);
        }
        return c;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      open = false;
      wellKnown.close();
      try (var ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
      lock.release();
      lockFile.close();
      ForeignConnection c;
      while ((c = accepted.poll()) != null) {
        c.close();
      }
    }
  }
}
