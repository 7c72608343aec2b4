package dev.jnet.ipc;

import dev.jnet.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * systemd socket activation ({@code sd_listen_fds(3)}): the sockets a service manager opened for
 * this process, as {@code fd:N} endpoints to pass to {@code server.listen}. They start at
 * descriptor 3; {@code LISTEN_FDS} says how many; {@code LISTEN_PID} must be this process's pid
 * (otherwise the variables were meant for an ancestor and are ignored); {@code LISTEN_FDNAMES}
 * gives each a name ({@code FileDescriptorName=} in the {@code .socket} unit), colon-separated.
 *
 * <pre>{@code
 * Endpoint web = SocketActivation.named("web").orElse(Endpoint.parse("tcp://:8080"));
 * Net.createServer(s -> s.pipe(s)).listen(web);
 * }</pre>
 *
 * <p>Java cannot unset environment variables, so "unsetting" them is done in two ways: the
 * variables are read once, when this class is first used, and later calls answer from that reading;
 * and {@link #scrub(Map)} removes them from a child's environment ({@code
 * processBuilder.environment()}); jnet itself starts no processes. A child that is not scrubbed
 * still ignores them, since {@code LISTEN_PID} names this process, not the child.
 *
 * <p>Threading: a stateless utility over an immutable reading of the environment; every method may
 * be called from any thread.
 */
public final class SocketActivation {
  /** The first descriptor systemd passes ({@code SD_LISTEN_FDS_START}). */
  public static final int FIRST_FD = 3;

  private static final List<String> VARIABLES =
      List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES");
  private static final Map<String, List<Endpoint.Fd>> READING =
      read(System.getenv(), ProcessHandle.current().pid());

  private SocketActivation() {}

  /**
   * Returns every socket passed to this process, in order.
   *
   * @return the endpoints, empty when this process was not socket-activated
   */
  public static List<Endpoint.Fd> listenFds() {
    List<Endpoint.Fd> all = new ArrayList<>();
    READING.values().forEach(all::addAll);
    all.sort((a, b) -> Integer.compare(a.fd(), b.fd()));
    return List.copyOf(all);
  }

  /**
   * Returns the first socket passed under a name ({@code LISTEN_FDNAMES}; systemd names an unnamed
   * socket {@code unknown}).
   *
   * @param name the name
   * @return the endpoint, empty if no socket has that name
   */
  public static Optional<Endpoint.Fd> named(String name) {
    return READING.getOrDefault(name, List.of()).stream().findFirst();
  }

  /**
   * Removes the socket-activation variables from a child process's environment.
   *
   * @param environment a mutable environment, such as {@code ProcessBuilder.environment()}
   */
  public static void scrub(Map<String, String> environment) {
    VARIABLES.forEach(environment::remove);
  }

  /**
   * Reads the variables as {@code sd_listen_fds} does.
   *
   * @param env the environment
   * @param pid this process's pid
   * @return the sockets by name, in descriptor order
   */
  static Map<String, List<Endpoint.Fd>> read(Map<String, String> env, long pid) {
    String listenPid = env.get("LISTEN_PID");
    String count = env.get("LISTEN_FDS");
    if (listenPid == null || count == null || !listenPid.strip().equals(Long.toString(pid))) {
      return Map.of();
    }
    int n;
    try {
      n = Integer.parseInt(count.strip());
    } catch (NumberFormatException e) {
      return Map.of();
    }
    String names = env.getOrDefault("LISTEN_FDNAMES", "");
    String[] parts = names.isEmpty() ? new String[0] : names.split(":", -1);
    Map<String, List<Endpoint.Fd>> byName = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String name = i < parts.length && !parts[i].isEmpty() ? parts[i] : "unknown";
      byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new Endpoint.Fd(FIRST_FD + i));
    }
    byName.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(byName);
  }
}
