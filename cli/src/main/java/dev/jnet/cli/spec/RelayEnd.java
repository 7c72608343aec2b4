package dev.jnet.cli.spec;

import dev.jnet.Endpoint;
import dev.jnet.cli.system.QuickExit;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One end of {@code jnet relay}: a socket to connect to, a listener ({@code listen:ENDPOINT}, first
 * end only), or a byte stream: {@code -} (stdin and stdout), {@code exec:CMD} (a child's stdout and
 * stdin), {@code file:PATH} (what arrives is written to the file; it sends nothing), {@code
 * fifo:PATH} (first end: read from the FIFO; second end: write into it; {@code fifo:PATH?create}
 * makes it first).
 */
public sealed interface RelayEnd {
  /**
   * Connects to an endpoint.
   *
   * @param endpoint where
   * @param tls whether to speak TLS to it ({@code tls:ENDPOINT}: originate TLS)
   */
  public record Connect(Endpoint endpoint, boolean tls) implements RelayEnd {
    /**
     * A plain-text end.
     *
     * @param endpoint where
     */
    public Connect(Endpoint endpoint) {
      this(endpoint, false);
    }
  }

  /**
   * Listens: every accepted connection gets its own other end.
   *
   * @param endpoint where
   * @param tls whether clients speak TLS to it ({@code tls:listen:ENDPOINT}: terminate TLS)
   */
  public record Listen(Endpoint endpoint, boolean tls) implements RelayEnd {
    /**
     * A plain-text listener.
     *
     * @param endpoint where
     */
    public Listen(Endpoint endpoint) {
      this(endpoint, false);
    }
  }

  /** Stdin and stdout. */
  public record Stdio() implements RelayEnd {}

  /** A child process per connection, run with {@code sh -c}. */
  public record Exec(String command) implements RelayEnd {}

  /** A file that receives what arrives. */
  public record File(Path path) implements RelayEnd {}

  /** A named pipe, read when it is the first end, written when it is the second. */
  public record Fifo(Path path, boolean create) implements RelayEnd {}

  /** An opened byte stream: what to send from, where arrivals go. */
  public record Streams(ReadableByteChannel in, WritableByteChannel out) {}

  /**
   * Parses an end.
   *
   * @param text the argument
   * @return the end
   * @throws TypeConversionException if it is not one
   */
  public static RelayEnd parse(String text) {
    if (text.equals("-")) {
      return new Stdio();
    }
    if (text.startsWith("tls:")) {
      RelayEnd inner = parse(text.substring(4));
      if (inner instanceof Listen l && !l.tls()) {
        return new Listen(l.endpoint(), true);
      }
      if (inner instanceof Connect c && !c.tls()) {
        return new Connect(c.endpoint(), true);
      }
      throw new TypeConversionException(
          "tls: goes before listen:ENDPOINT (terminate TLS) or an ENDPOINT (originate TLS): "
              + text);
    }
    if (text.startsWith("listen:")) {
      return new Listen(new EndpointConverter().convert(text.substring("listen:".length())));
    }
    if (text.startsWith("exec:")) {
      if (text.length() == 5) {
        throw new TypeConversionException("exec: needs a command: exec:'tr a-z A-Z'");
      }
      return new Exec(text.substring(5));
    }
    if (text.startsWith("file:")) {
      return new File(Path.of(nonEmpty(text, 5)));
    }
    if (text.startsWith("fifo:")) {
      boolean create = text.endsWith("?create");
      String path = nonEmpty(create ? text.substring(0, text.length() - 7) : text, 5);
      return new Fifo(Path.of(path), create);
    }
    return new Connect(new EndpointConverter().convert(text));
  }

  private static String nonEmpty(String text, int prefix) {
    if (text.length() == prefix) {
      throw new TypeConversionException("invalid end '" + text + "': a path is needed");
    }
    return text.substring(prefix);
  }

  /** Tells whether this end is a byte stream rather than a socket. */
  default boolean isStream() {
    return !(this instanceof Connect || this instanceof Listen);
  }

  /**
   * Opens a stream end; may block (a FIFO waits for its other side), so never on an I/O thread.
   *
   * @param first whether this is the relay's first end
   * @param append whether a file end appends (many connections) rather than truncates
   * @return the channels
   * @throws IOException if it cannot be opened
   */
  default Streams open(boolean first, boolean append) throws IOException {
    if (this instanceof Stdio) {
      FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
      QuickExit.register(stdin);
      return new Streams(stdin, new FileOutputStream(FileDescriptor.out).getChannel());
    }
    if (this instanceof Exec e) {
      Process p =
          new ProcessBuilder("sh", "-c", e.command())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return new Streams(
          Channels.newChannel(p.getInputStream()), Channels.newChannel(p.getOutputStream()));
    }
    if (this instanceof File f) {
      WritableByteChannel out =
          FileChannel.open(
              f.path(),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      return new Streams(Empty.INSTANCE, out);
    }
    Fifo fifo = (Fifo) this;
    if (fifo.create() && !Files.exists(fifo.path())) {
      mkfifo(fifo.path());
    }
    if (first) {
      return new Streams(FileChannel.open(fifo.path(), StandardOpenOption.READ), Sink.INSTANCE);
    }
    return new Streams(Empty.INSTANCE, FileChannel.open(fifo.path(), StandardOpenOption.WRITE));
  }

  /**
   * Runs {@code mkfifo}; its error output becomes the exception's message, which {@link FileError}
   * names.
   */
  private static void mkfifo(Path path) throws IOException {
    Process p =
        new ProcessBuilder("mkfifo", "-m", "600", "--", path.toString())
            .redirectErrorStream(true)
            .start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("mkfifo did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted creating " + path);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      throw new IOException(out.isEmpty() ? "mkfifo failed with status " + p.exitValue() : out);
    }
  }

  /** A source with nothing in it. */
  public enum Empty implements ReadableByteChannel {
    INSTANCE;

    @Override
    public int read(ByteBuffer dst) {
      return -1;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** A destination that drops everything (a FIFO being read takes nothing back). */
  public enum Sink implements WritableByteChannel {
    INSTANCE;

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** Picocli's converter. */
  public final class Converter implements ITypeConverter<RelayEnd> {
    @Override
    public RelayEnd convert(String value) {
      return RelayEnd.parse(value);
    }
  }
}
