package dev.jnet.internal.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few pieces of ASN.1 DER that jnet writes and reads itself: enough to build a certificate
 * ({@link CertificateMaker}) and to turn the PKCS#1 and SEC1 keys OpenSSL writes into PKCS#8
 * ({@link Pem}), so that no BouncyCastle is needed.
 *
 * <p>Threading: stateless.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;

  private Der() {}

  /** Encodes one element: its tag, its length, its content. */
  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] seq(byte[]... parts) {
    return tlv(SEQUENCE, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(SET, concat(parts));
  }

  static byte[] integer(BigInteger v) {
    return tlv(INTEGER, v.toByteArray());
  }

  static byte[] integer(long v) {
    return integer(BigInteger.valueOf(v));
  }

  static byte[] octets(byte[] v) {
    return tlv(OCTET_STRING, v);
  }

  static byte[] bits(byte[] v) {
    byte[] c = new byte[v.length + 1]; // no unused bits
    System.arraycopy(v, 0, c, 1, v.length);
    return tlv(BIT_STRING, c);
  }

  static byte[] nul() {
    return new byte[] {NULL, 0};
  }

  static byte[] utf8(String s) {
    return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bool(boolean v) {
    return new byte[] {0x01, 1, (byte) (v ? 0xff : 0)};
  }

  /** A context-specific tag: explicit (constructed) or implicit (primitive). */
  static byte[] tagged(int number, boolean constructed, byte[] content) {
    return tlv((constructed ? 0xa0 : 0x80) | number, content);
  }

  static byte[] oid(String dotted) {
    String[] p = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
    for (int i = 2; i < p.length; i++) {
      long v = Long.parseLong(p[i]);
      int groups = 1;
      for (long t = v >>> 7; t != 0; t >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int b = (int) ((v >>> (7 * g)) & 0x7f);
        out.write(g == 0 ? b : b | 0x80);
      }
    }
    return tlv(OID, out.toByteArray());
  }

  /** X.509's time: UTCTime up to 2049, GeneralizedTime from 2050. */
  static byte[] time(ZonedDateTime t) {
    ZonedDateTime u = t.withZoneSameInstant(ZoneOffset.UTC);
    if (u.getYear() < 2050 && u.getYear() >= 1950) {
      String s = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(u);
      return tlv(UTC_TIME, s.getBytes(StandardCharsets.US_ASCII));
    }
    String s = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(u);
    return tlv(GENERALIZED_TIME, s.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A reader over one DER buffer; every read checks its bounds. */
  static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf) {
      this(buf, 0, buf.length);
    }

    private Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    int peekTag() {
      require(1);
      return buf[pos] & 0xff;
    }

    /** Reads one element of the given tag and returns a reader over its content. */
    Reader read(int tag) {
      int t = peekTag();
      if (t != tag) {
        throw new IllegalArgumentException(
            "DER: expected tag 0x"
                + Integer.toHexString(tag)
                + ", found 0x"
                + Integer.toHexString(t));
      }
      pos++;
      require(1);
      int len = buf[pos++] & 0xff;
      if (len >= 0x80) {
        int bytes = len & 0x7f;
        if (bytes == 0 || bytes > 4) {
          throw new IllegalArgumentException("DER: bad length");
        }
        require(bytes);
        len = 0;
        for (int i = 0; i < bytes; i++) {
          len = (len << 8) | (buf[pos++] & 0xff);
        }
        if (len < 0) {
          throw new IllegalArgumentException("DER: bad length");
        }
      }
      require(len);
      Reader r = new Reader(buf, pos, pos + len);
      pos += len;
      return r;
    }

    /** Reads one element of the given tag and returns it whole (tag and length included). */
    byte[] readRaw(int tag) {
      int start = pos;
      read(tag);
      byte[] out = new byte[pos - start];
      System.arraycopy(buf, start, out, 0, out.length);
      return out;
    }

    byte[] rest() {
      byte[] out = new byte[end - pos];
      System.arraycopy(buf, pos, out, 0, out.length);
      pos = end;
      return out;
    }

    private void require(int n) {
      if (n < 0 || end - pos < n) {
        throw new IllegalArgumentException("DER: truncated");
      }
    }
  }
}
