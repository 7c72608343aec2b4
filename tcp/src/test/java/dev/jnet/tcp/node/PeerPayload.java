package dev.jnet.tcp.node;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.IntSupplier;

/**
 * Seeded test bytes that the Node scripts ({@code peer.js}) generate identically: xorshift32, four
 * little-endian bytes per step; and random chunk sizes from a second stream of the same generator.
 */
final class PeerPayload {
  private PeerPayload() {}

  /**
   * Returns {@code payload(seed, size)} of {@code peer.js}.
   *
   * @param seed the seed (logged by the test)
   * @param size the byte count
   * @return the bytes
   */
  static byte[] generate(int seed, int size) {
    byte[] out = new byte[size];
    int x = seed != 0 ? seed : 0x9e3779b9;
    for (int i = 0; i < size; i += 4) {
      x = step(x);
      for (int k = 0; k < 4 && i + k < size; k++) {
        out[i + k] = (byte) (x >>> (8 * k));
      }
    }
    return out;
  }

  /**
   * Returns {@code chunker(seed, max)} of {@code peer.js}: chunk sizes in 1..max.
   *
   * @param seed the seed
   * @param max the largest chunk
   * @return the supplier, not thread-safe
   */
  static IntSupplier chunker(int seed, int max) {
    int[] x = {(seed ^ 0x5bd1e995) != 0 ? seed ^ 0x5bd1e995 : 1};
    return () -> {
      x[0] = step(x[0]);
      return 1 + Integer.remainderUnsigned(x[0], max);
    };
  }

  private static int step(int x) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x;
  }

  /**
   * Returns a SHA-256 digest.
   *
   * @return a fresh digest
   */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Returns the SHA-256 of bytes as lower-case hex, as Node's {@code digest('hex')}.
   *
   * @param data the bytes
   * @return the hex digest
   */
  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  /**
   * Returns a heap buffer over a slice, for {@code Socket.write} (which copies).
   *
   * @param data the array
   * @param offset the start
   * @param length the length
   * @return the buffer
   */
  static ByteBuffer slice(byte[] data, int offset, int length) {
    return ByteBuffer.wrap(data, offset, length);
  }
}
