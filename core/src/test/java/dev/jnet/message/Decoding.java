package dev.jnet.message;

import dev.jnet.NetException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds bytes to a decoder in chosen chunks and collects what comes out: the messages and the
 * error, if any.
 */
record Decoding(List<String> messages, NetException error) {

  static Decoding run(Framing framing, byte[] stream, int... cuts) {
    Framing.Decoder d = framing.newDecoder();
    List<String> out = new ArrayList<>();
    int from = 0;
    try {
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : stream.length;
        d.decode(ByteBuffer.wrap(stream, from, to - from).slice(), m -> out.add(text(m)));
        from = to;
      }
      d.finish();
      return new Decoding(out, null);
    } catch (NetException e) {
      return new Decoding(out, e);
    }
  }

  static Decoding oneByteAtATime(Framing framing, byte[] stream) {
    int[] cuts = new int[Math.max(0, stream.length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return run(framing, stream, cuts);
  }

  static String text(ByteBuffer m) {
    return StandardCharsets.ISO_8859_1.decode(m.duplicate()).toString();
  }

  static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] encodeAll(Framing framing, List<String> messages) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String m : messages) {
      ByteBuffer f = framing.encode(ByteBuffer.wrap(bytes(m)));
      out.write(f.array(), f.arrayOffset() + f.position(), f.remaining());
    }
    return out.toByteArray();
  }
}
