package dev.jnet.ipc;

import dev.jnet.Endpoint;
import dev.jnet.ErrorCode;
import dev.jnet.Net;
import dev.jnet.ipc.internal.UnixTransport;
import dev.jnet.spi.Capability;
import dev.jnet.testkit.ForeignPeer;
import dev.jnet.testkit.TransportFixture;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unix domain sockets for the conformance kit: socket files under a private temp folder, or names
 * in Linux's abstract namespace. The foreign peer is the plain JDK for paths and junixsocket for
 * abstract names.
 */
public final class UnixFixture implements TransportFixture {
  /** Socket files under a temp folder. */
  public static final UnixFixture PATH = new UnixFixture(false);

  /** Abstract-namespace names. */
  public static final UnixFixture ABSTRACT = new UnixFixture(true);

  private static final Path DIR = tempDir();
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final boolean isAbstract;

  private UnixFixture(boolean isAbstract) {
    this.isAbstract = isAbstract;
  }

  private static Path tempDir() {
    return dev.jnet.testkit.TempDirs.deletedAtExit("jnet");
  }

  /**
   * Returns the temp folder holding this run's socket files.
   *
   * @return the folder
   */
  public static Path dir() {
    return DIR;
  }

  /**
   * Returns a fresh path in the temp folder.
   *
   * @return the path (nothing is there)
   */
  public static Path freshPath() {
    return DIR.resolve("s" + SEQ.incrementAndGet() + ".sock");
  }

  @Override
  public String name() {
    return isAbstract ? "unix-abstract" : "unix-path";
  }

  @Override
  public Endpoint listenEndpoint() {
    if (isAbstract) {
      return new Endpoint.Unix(
          "jnet-test-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet(), true);
    }
    return new Endpoint.Unix(freshPath().toString(), false);
  }

  @Override
  public Endpoint deadEndpoint() {
    return listenEndpoint();
  }

  @Override
  public ErrorCode refusedCode() {
    return isAbstract ? ErrorCode.ECONNREFUSED : ErrorCode.ENOENT;
  }

  @Override
  public Set<Capability> capabilities() {
    return new UnixTransport().capabilities(listenEndpoint(), Net.engine());
  }

  @Override
  public ForeignPeer foreign() {
    return isAbstract ? new JunixPeer() : ForeignPeer.jdk();
  }
}
