package dev.jnet.tcp.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the one-line JSON objects the Node scripts print: a flat object whose values are strings,
 * numbers, booleans or null. Anything else is a protocol error.
 */
final class FlatJson {
  private final String text;
  private int pos;

  private FlatJson(String text) {
    this.text = text;
  }

  /**
   * Parses one object.
   *
   * @param line the line
   * @return the members in order; numbers as {@link Long} or {@link Double}
   * @throws IllegalArgumentException if the line is not a flat JSON object
   */
  static Map<String, Object> parse(String line) {
    FlatJson p = new FlatJson(line.strip());
    Map<String, Object> out = new LinkedHashMap<>();
    p.expect('{');
    if (p.peek() == '}') {
      p.pos++;
    } else {
      do {
        String key = p.string();
        p.expect(':');
        out.put(key, p.value());
      } while (p.next() == ',');
      p.pos--;
      p.expect('}');
    }
    if (p.pos != p.text.length()) {
      throw new IllegalArgumentException("trailing text in " + line);
    }
    return out;
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    int start = pos;
    while (pos < text.length() && ",}".indexOf(text.charAt(pos)) < 0) {
      pos++;
    }
    String word = text.substring(start, pos).strip();
    switch (word) {
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      case "null":
        return null;
      default:
        try {
          return word.matches("-?\\d+")
              ? (Object) Long.valueOf(word)
              : (Object) Double.valueOf(word);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a flat JSON value at " + start + ": " + text, e);
        }
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> b.append(e);
      }
    }
  }

  private char peek() {
    skipSpace();
    if (pos >= text.length()) {
      throw new IllegalArgumentException("unexpected end of " + text);
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1) + " in " + text);
    }
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
