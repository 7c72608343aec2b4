package dev.jnet.ipc;

import java.util.List;

/**
 * {@link InheritedFdIT} with the child on the NIO engine: inherited TCP and Unix sockets, listening
 * and connected, are adopted into JDK channels and served as under epoll.
 */
class InheritedFdNioIT extends InheritedFdIT {
  @Override
  protected List<String> engineOptions() {
    return List.of("-Djnet.transport=nio");
  }
}
