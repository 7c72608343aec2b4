package dev.jnet.cli.dump;

/**
 * Shows bytes as readable text: printable ASCII as itself, {@code \n \r \t \\ \"}, anything else
 * {@code \xHH}.
 */
public final class Escapes {
  private Escapes() {}

  /**
   * Escapes bytes for a quoted dump line.
   *
   * @param bytes the data
   * @return the escaped text
   */
  public static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (byte value : bytes) {
      int b = value & 0xff;
      switch (b) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        default -> {
          if (b >= 0x20 && b < 0x7f) {
            sb.append((char) b);
          } else {
            sb.append("\\x")
                .append(Character.forDigit(b >> 4, 16))
                .append(Character.forDigit(b & 0xf, 16));
          }
        }
      }
    }
    return sb.toString();
  }
}
