package dev.jnet.ipc.internal.pipe;

import dev.jnet.Endpoint;
import java.net.SocketAddress;
import java.nio.file.Path;

/** A {@code pipe:} address for Netty: the endpoint as written, and the directory it resolves to. */
final class PipeAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String dir;
  private final transient PipeDirectory.Lease lease;

  PipeAddress(Endpoint.Pipe endpoint, Path dir) {
    this(endpoint.name(), dir, null);
  }

  private PipeAddress(String name, Path dir, PipeDirectory.Lease lease) {
    this.name = name;
    this.dir = dir.toString();
    this.lease = lease;
  }

  /** Returns this address holding the lease of a server that listens on it. */
  PipeAddress withLease(PipeDirectory.Lease l) {
    return new PipeAddress(name, dir(), l);
  }

  Endpoint.Pipe endpoint() {
    return new Endpoint.Pipe(name);
  }

  Path dir() {
    return Path.of(dir);
  }

  PipeDirectory.Lease lease() {
    return lease;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipeAddress a && a.name.equals(name) && a.dir.equals(dir);
  }

  @Override
  public int hashCode() {
    return dir.hashCode();
  }

  @Override
  public String toString() {
    return "pipe:" + name;
  }
}
