package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sequence-numbered writes from several threads and listeners, and the check of what arrived. Each
 * write is a record {@code [seq:int][length:int][length bytes derived from seq]}; the sequence
 * number is taken under the same lock as the {@code write} call, so lock order is write order and
 * the receiver must see 0, 1, 2, ... with every record's bytes intact. Each record remembers who
 * wrote it, for the failure message.
 */
public final class Sequenced {
  private final long seed;
  private final List<String> writers = new ArrayList<>();
  private boolean ended;

  /**
   * Creates a writer whose record contents derive from the seed.
   *
   * @param seed the seed
   */
  public Sequenced(long seed) {
    this.seed = seed;
  }

  /**
   * Writes the next record, unless {@link #end} was called already.
   *
   * @param socket where to write
   * @param writer who writes, such as {@code connect-listener}
   * @param size the record's payload size
   */
  public synchronized void write(Socket socket, String writer, int size) {
    if (ended) {
      return;
    }
    int seq = writers.size();
    writers.add(writer);
    socket.write(record(seq, size));
  }

  /**
   * Ends the socket after the records written so far; later {@link #write} calls write nothing.
   *
   * @param socket the socket
   */
  public synchronized void end(Socket socket) {
    ended = true;
    socket.end();
  }

  /**
   * Returns the number of records written.
   *
   * @return the count
   */
  public synchronized int count() {
    return writers.size();
  }

  private ByteBuffer record(int seq, int size) {
    byte[] body = new byte[size];
    new Random(seed ^ seq).nextBytes(body);
    ByteBuffer b = ByteBuffer.allocate(8 + size);
    b.putInt(seq).putInt(size).put(body).flip();
    return b;
  }

  /**
   * Asserts that the received bytes are exactly the records written, in sequence order.
   *
   * @param received what the peer read
   */
  public synchronized void assertReceived(byte[] received) {
    ByteBuffer in = ByteBuffer.wrap(received);
    List<String> order = new ArrayList<>();
    int expected = 0;
    String problem = null;
    while (in.remaining() >= 8) {
      int seq = in.getInt();
      int size = in.getInt();
      order.add(seq + ":" + who(seq));
      if (size < 0 || size > in.remaining()) {
        problem =
            problem != null
                ? problem
                : "record " + seq + " is cut short: " + in.remaining() + " of " + size + " bytes";
        break;
      }
      byte[] body = new byte[size];
      in.get(body);
      if (problem == null && seq != expected) {
        problem =
            "record "
                + seq
                + " ("
                + who(seq)
                + ") arrived where "
                + expected
                + " ("
                + who(expected)
                + ") was due";
      } else if (problem == null && !ByteBuffer.wrap(body).equals(record(seq, size).position(8))) {
        problem = "record " + seq + " (" + who(seq) + ") arrived with other bytes";
      }
      expected++;
    }
    if (problem == null && in.hasRemaining()) {
      problem = in.remaining() + " stray bytes after record " + (expected - 1);
    }
    if (problem == null && expected != writers.size()) {
      problem = "only " + expected + " of " + writers.size() + " records arrived";
    }
    assertThat(problem)
        .as("write order and bytes; arrival order (seq:writer) " + head(order))
        .isNull();
  }

  private String who(int seq) {
    return seq >= 0 && seq < writers.size() ? writers.get(seq) : "?";
  }

  private static List<String> head(List<String> order) {
    return order.size() <= 12 ? order : order.subList(0, 12);
  }
}
