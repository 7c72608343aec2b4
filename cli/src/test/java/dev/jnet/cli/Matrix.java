package dev.jnet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells of {@link CliByteExactnessIT}: a way of moving bytes, a transport for the end under
 * test, an engine.
 */
final class Matrix {
  private Matrix() {}

  /** How the bytes travel, and which side half-closes first. */
  enum Scenario {
    /** {@code recv E > out}, {@code send E in}: the sender ends first. */
    SEND_RECV,
    /** {@code listen E > out} with stdin at EOF, {@code connect E < in}: the server ends first. */
    CONNECT_TO_LISTEN,
    /** {@code listen E < in}, {@code connect E > out} with stdin at EOF: the client ends first. */
    LISTEN_TO_CONNECT,
    /** {@code relay listen:E tcp://ECHO}, {@code connect E < in > out}: the relay accepts on E. */
    RELAY_ACCEPTS,
    /**
     * {@code echo E}, {@code relay listen:tcp://:0 E}, {@code connect TCP < in > out}: the relay
     * connects to E.
     */
    RELAY_CONNECTS,
    /** {@code relay listen:E file:out}, {@code send E in}. */
    RELAY_TO_FILE,
    /** {@code relay listen:E exec:cat}, {@code connect E < in > out}. */
    RELAY_TO_EXEC,
    /** {@code recv E > out}, {@code relay fifo:F?create E}, {@code cat in > F}. */
    FIFO_RELAY
  }

  /** Where the end under test listens. */
  enum Transport {
    TCP,
    UNIX,
    ABSTRACT,
    PIPE
  }

  /**
   * One cell.
   *
   * @param scenario how the bytes travel
   * @param transport the end under test
   * @param engine {@code epoll} or {@code nio}
   */
  record Cell(Scenario scenario, Transport transport, String engine) {
    @Override
    public String toString() {
      return scenario + " over " + transport + " on " + engine;
    }
  }

  /**
   * What every {@code mvn verify} runs: each scenario that passes today once or twice, each
   * transport at least twice, on epoll, and one NIO cell.
   */
  static final List<Cell> SHORT =
      List.of(
          new Cell(Scenario.SEND_RECV, Transport.PIPE, "epoll"),
          new Cell(Scenario.SEND_RECV, Transport.UNIX, "epoll"),
          new Cell(Scenario.LISTEN_TO_CONNECT, Transport.UNIX, "epoll"),
          new Cell(Scenario.LISTEN_TO_CONNECT, Transport.ABSTRACT, "epoll"),
          new Cell(Scenario.CONNECT_TO_LISTEN, Transport.TCP, "epoll"),
          new Cell(Scenario.RELAY_ACCEPTS, Transport.UNIX, "epoll"),
          new Cell(Scenario.RELAY_CONNECTS, Transport.PIPE, "epoll"),
          new Cell(Scenario.RELAY_TO_FILE, Transport.ABSTRACT, "epoll"),
          new Cell(Scenario.RELAY_TO_EXEC, Transport.TCP, "epoll"),
          new Cell(Scenario.FIFO_RELAY, Transport.PIPE, "epoll"),
          new Cell(Scenario.SEND_RECV, Transport.TCP, "nio"));

  /**
   * Tells whether the whole matrix runs ({@code -Djnet.matrix=full}, set by the {@code stress}
   * profile).
   *
   * @return true for the full matrix
   */
  static boolean isFull() {
    return "full".equals(System.getProperty("jnet.matrix", ""));
  }

  /**
   * Every cell: every scenario on every transport, under epoll and NIO (abstract names exist under
   * epoll only).
   *
   * @return the cells
   */
  static List<Cell> full() {
    List<Cell> cells = new ArrayList<>();
    for (String engine : List.of("epoll", "nio")) {
      for (Scenario s : Scenario.values()) {
        for (Transport t : Transport.values()) {
          if (!(t == Transport.ABSTRACT && engine.equals("nio"))) {
            cells.add(new Cell(s, t, engine));
          }
        }
      }
    }
    return cells;
  }
}
