package dev.jnet.tcp.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Net;
import dev.jnet.tcp.TcpFixture;
import dev.jnet.testkit.ContractSupport;
import dev.jnet.testkit.TransportFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the Node-oracle ITs: TCP on 127.0.0.1, a real {@code node} peer per test (ended after
 * it, before the jnet sockets are destroyed and checked for leaks), and seeds that are logged so a
 * failure can be replayed with {@code -Djnet.seed=N}.
 */
abstract class NodeOracleSupport extends ContractSupport {

  /**
   * Fails if the forced-NIO or io_uring run is not actually on that engine (it is chosen once per
   * JVM).
   */
  @BeforeEach
  void engineIsTheOneThisRunAskedFor() {
    String forced = System.getProperty("jnet.transport", "");
    assertThat(Net.engine())
        .as("engine with -Djnet.transport=" + forced)
        .isEqualTo(forced.equals("nio") || forced.equals("io_uring") ? forced : "epoll");
  }

  @Override
  protected TransportFixture fixture() {
    return TcpFixture.INSTANCE;
  }

  /**
   * Starts a Node script; it is ended after the test.
   *
   * @param script a file in {@code src/test/resources/node/}
   * @param args its arguments
   * @return the peer
   */
  protected NodePeer node(String script, Object... args) {
    return closeLater(NodePeer.start(script, args));
  }

  /**
   * Returns the seed for this test's random bytes: {@code -Djnet.seed} if set, else a random one;
   * it is printed.
   *
   * @return the seed
   */
  protected static int seed() {
    int seed = Integer.getInteger("jnet.seed", ThreadLocalRandom.current().nextInt());
    System.out.println("jnet.seed=" + seed + " (replay with -Djnet.seed=" + seed + ")");
    return seed;
  }

  /**
   * Drops events whose number or place depends on timing (drain, finish) from a sequence, keeping
   * the order of the rest and folding the {@code data} runs that a dropped event had split.
   *
   * @param events a jnet or Node sequence
   * @param drop the events to drop
   * @return the rest
   */
  protected static List<String> without(List<String> events, String... drop) {
    Set<String> d = Set.of(drop);
    List<String> out = new ArrayList<>();
    for (String e : events) {
      boolean foldedData =
          e.equals("data") && !out.isEmpty() && out.get(out.size() - 1).equals("data");
      if (!d.contains(e) && !foldedData) {
        out.add(e);
      }
    }
    return out;
  }
}
