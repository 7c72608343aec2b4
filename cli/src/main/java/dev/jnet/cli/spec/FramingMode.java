package dev.jnet.cli.spec;

import dev.jnet.message.Framing;
import picocli.CommandLine.TypeConversionException;

/** The message framings {@code --framing} offers. */
public enum FramingMode {
  /** A u32 big-endian length, then the message. */
  LP,
  /** One message per line, ending with LF. */
  LINES;

  public Framing framing() {
    return this == LP ? Framing.lengthPrefixed() : Framing.lines();
  }

  /** Picocli's converter. */
  public static FramingMode parse(String value) {
    for (FramingMode m : values()) {
      if (m.name().equalsIgnoreCase(value)) {
        return m;
      }
    }
    throw new TypeConversionException("unknown framing '" + value + "': expected lp or lines");
  }
}
