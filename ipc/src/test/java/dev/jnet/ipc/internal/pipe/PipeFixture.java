package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.spi.Capability;
import dev.jnet.testkit.ForeignPeer;
import dev.jnet.testkit.TransportFixture;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named pipes for the conformance kit: each server gets a fresh directory path under a private temp
 * folder; the foreign peer is {@link DocumentedPipePeer}, written from {@code
 * docs/pipe-protocol.md} alone.
 */
public final class PipeFixture implements TransportFixture {
  /** The fixture. */
  public static final PipeFixture PIPE = new PipeFixture();

  private static final Path DIR = tempDir();
  private static final AtomicInteger SEQ = new AtomicInteger();

  private PipeFixture() {}

  private static Path tempDir() {
    return dev.jnet.testkit.TempDirs.deletedAtExit("jnet-pipe");
  }

  /**
   * Returns a fresh directory path (nothing is there).
   *
   * @return the path
   */
  public static Path freshDir() {
    return DIR.resolve("p" + SEQ.incrementAndGet());
  }

  @Override
  public String name() {
    return "pipe";
  }

  @Override
  public Endpoint listenEndpoint() {
    return new Endpoint.Pipe(freshDir().toString());
  }

  @Override
  public Endpoint deadEndpoint() {
    return listenEndpoint();
  }

  @Override
  public ErrorCode refusedCode() {
    return ErrorCode.ENOENT;
  }

  @Override
  public Set<Capability> capabilities() {
    return new PipeTransport().capabilities(listenEndpoint(), Net.engine());
  }

  @Override
  public ForeignPeer foreign() {
    return new DocumentedPipePeer();
  }
}
