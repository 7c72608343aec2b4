package dev.jnet.internal;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * A streaming decoder, as Node's StringDecoder: bytes of a character split across reads are held
 * back until the character is complete; malformed input becomes U+FFFD. Loop-confined.
 */
final class TextDecoder {
  private final CharsetDecoder decoder;
  private ByteBuffer carry = ByteBuffer.allocate(0);

  TextDecoder(Charset charset) {
    decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  String decode(ByteBuf buf) {
    int n = buf.readableBytes();
    ByteBuffer in = ByteBuffer.allocate(carry.remaining() + n);
    in.put(carry);
    buf.getBytes(buf.readerIndex(), in);
    in.flip();
    CharBuffer out =
        CharBuffer.allocate((int) (in.remaining() * (double) decoder.maxCharsPerByte()) + 2);
    decoder.decode(in, out, false);
    carry = in.slice();
    return out.flip().toString();
  }

  String finish() {
    CharBuffer out = CharBuffer.allocate(carry.remaining() * 2 + 4);
    decoder.decode(carry, out, true);
    decoder.flush(out);
    carry = ByteBuffer.allocate(0);
    return out.flip().toString();
  }
}
