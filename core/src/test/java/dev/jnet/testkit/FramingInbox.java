package dev.jnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a listener received, for the framing contracts: items in arrival order, taken with bounded
 * waits.
 *
 * @param <T> the item type
 */
public final class FramingInbox<T> implements Consumer<T> {
  private final LinkedBlockingQueue<T> items = new LinkedBlockingQueue<>();

  /**
   * Returns an inbox that stores each message as UTF-8 text.
   *
   * @return a consumer of buffers feeding a text inbox
   */
  public static FramingInbox<String> text() {
    return new FramingInbox<>();
  }

  /**
   * Decodes a message as UTF-8.
   *
   * @param b the message
   * @return the text
   */
  public static String utf8(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }

  /**
   * Encodes text as UTF-8.
   *
   * @param s the text
   * @return the bytes
   */
  public static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void accept(T item) {
    items.add(item);
  }

  /**
   * Takes the next item within 10 seconds.
   *
   * @return the item
   */
  public T take() {
    try {
      T t = items.poll(10, TimeUnit.SECONDS);
      if (t == null) {
        ThreadDump.print("nothing arrived within 10 s");
      }
      assertThat(t).as("an item arrived within 10 s").isNotNull();
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Takes the next {@code n} items.
   *
   * @param n how many
   * @return them, in order
   */
  public List<T> take(int n) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(take());
    }
    return out;
  }

  /**
   * Asserts that nothing arrives within a short while (a bounded check, not a wait for an event).
   *
   * @param quiet how long to watch
   */
  public void assertNothingWithin(Duration quiet) {
    try {
      assertThat(items.poll(quiet.toMillis(), TimeUnit.MILLISECONDS))
          .as("nothing more arrived")
          .isNull();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
