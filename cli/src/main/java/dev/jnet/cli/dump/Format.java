package dev.jnet.cli.dump;

/** How a command shows the bytes it moves ({@code --format}). */
public enum Format {
  /** The bytes as they are, received data only. */
  RAW,
  /** One line per chunk, both directions, the data as an escaped string. */
  TEXT,
  /** Sixteen bytes per line, both directions, with offset, hex and ASCII columns. */
  HEX,
  /**
   * One JSON object per chunk, both directions, the data in base64 (and as text when it is UTF-8).
   */
  NDJSON;

  /** Picocli's converter: the lower-case name. */
  public static Format parse(String value) {
    for (Format f : values()) {
      if (f.name().equalsIgnoreCase(value)) {
        return f;
      }
    }
    throw new picocli.CommandLine.TypeConversionException(
        "unknown format '" + value + "': expected raw, text, hex or ndjson");
  }
}
