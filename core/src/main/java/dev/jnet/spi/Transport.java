package dev.jnet.spi;

import dev.jnet.Endpoint;
import java.util.Set;

/**
 * A way to move bytes between processes, found through {@link java.util.ServiceLoader}. A transport
 * only opens, binds, connects, moves bytes, half-closes and reports readiness, EOF and errors;
 * every Node rule (event order, backpressure, half-open, timeouts) lives once in jnet's core. A
 * transport jnet can use implements {@link ChannelTransport}, which binds it to the shared I/O
 * engine; this interface is what every provider shares.
 *
 * <p>Threading: implementations are stateless or thread-safe; every method may be called from any
 * thread.
 */
public interface Transport {

  /**
   * Returns the endpoint scheme this transport handles, such as {@code tcp}.
   *
   * @return the scheme
   */
  String scheme();

  /**
   * Tells whether this transport handles the endpoint (its scheme matches and the platform supports
   * it).
   *
   * @param endpoint the endpoint
   * @return true if {@code connect} and {@code listen} may be tried
   */
  default boolean handles(Endpoint endpoint) {
    return endpoint.scheme().equals(scheme());
  }

  /**
   * Returns what this transport can do for the endpoint under the named engine.
   *
   * @param endpoint the endpoint
   * @param engine {@code epoll} or {@code nio}
   * @return the capabilities
   */
  Set<Capability> capabilities(Endpoint endpoint, String engine);
}
