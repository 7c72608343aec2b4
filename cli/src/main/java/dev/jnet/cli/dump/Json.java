package dev.jnet.cli.dump;

import java.util.Collection;
import java.util.Map;

/**
 * Writes the small JSON documents jnet prints ({@code resolve}, {@code info}, {@code scan}, {@code
 * bench}).
 */
public final class Json {
  private Json() {}

  /**
   * Escapes a string for a JSON string literal (without the quotes).
   *
   * @param s the text
   * @return the escaped text
   */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * Writes a value: maps (in their iteration order) as objects, collections as arrays, numbers and
   * booleans as themselves, null as null, anything else as a string.
   *
   * @param value the value
   * @return its JSON text, on one line
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(sep).append('"').append(escape(String.valueOf(e.getKey()))).append("\":");
        write(sb, e.getValue());
        sep = ",";
      }
      sb.append('}');
    } else if (value instanceof Collection<?> list) {
      sb.append('[');
      String sep = "";
      for (Object o : list) {
        sb.append(sep);
        write(sb, o);
        sep = ",";
      }
      sb.append(']');
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      sb.append('"').append(escape(value.toString())).append('"');
    }
  }
}
