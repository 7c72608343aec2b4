package dev.jnet.cli.spec;

import picocli.CommandLine.TypeConversionException;

/** How typed input becomes bytes on the wire ({@code --input}). */
public enum InputMode {
  /** The bytes as they are. */
  RAW,
  /** Pairs of hex digits; whitespace, {@code :} and {@code -} between them are ignored. */
  HEX,
  /** Text with escapes: {@code \n \r \t \0 \\ \xHH}. */
  ESCAPES;

  /** Picocli's converter: the lower-case name. */
  public static InputMode parse(String value) {
    for (InputMode m : values()) {
      if (m.name().equalsIgnoreCase(value)) {
        return m;
      }
    }
    throw new TypeConversionException(
        "unknown input mode '" + value + "': expected raw, hex or escapes");
  }
}
