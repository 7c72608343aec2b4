package dev.jnet.testkit;

import java.util.Random;

/**
 * Seeded random bytes and chunk sizes for data tests. The seed goes into every assertion message,
 * so a failure can be replayed with {@link #of(int, long)}.
 */
public final class Payload {
  private final long seed;
  private final byte[] bytes;
  private final Random chunks;

  private Payload(int size, long seed) {
    this.seed = seed;
    this.bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    this.chunks = new Random(seed ^ 0x5DEECE66DL);
  }

  /**
   * Creates a payload with a fresh seed.
   *
   * @param size the byte count
   * @return the payload
   */
  public static Payload random(int size) {
    return of(size, new Random().nextLong());
  }

  /**
   * Creates the payload of a known seed.
   *
   * @param size the byte count
   * @param seed the seed
   * @return the payload
   */
  public static Payload of(int size, long seed) {
    return new Payload(size, seed);
  }

  /**
   * Returns the bytes (not copied).
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return bytes;
  }

  /**
   * Returns the next chunk size, 1 to {@code max}, from the payload's seeded sequence.
   *
   * @param max the largest chunk
   * @return the size
   */
  public synchronized int nextChunk(int max) {
    return 1 + chunks.nextInt(max);
  }

  /**
   * Describes the payload for assertion messages.
   *
   * @return size and seed
   */
  @Override
  public String toString() {
    return bytes.length + " random bytes, seed " + seed + "L";
  }
}
