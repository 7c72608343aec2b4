package dev.jnet.cli;

import dev.jnet.cli.dump.Dump;
import dev.jnet.cli.dump.Format;
import dev.jnet.cli.session.InputDecoder;
import dev.jnet.cli.spec.FramingMode;
import dev.jnet.cli.spec.InputMode;
import dev.jnet.cli.system.Terminal;
import picocli.CommandLine.Option;

/** The visibility options of the commands that move bytes, mixed in with {@code @Mixin}. */
final class DumpOptions {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "raw",
      converter = FormatConverter.class,
      description = {
        "raw (the bytes), text, hex or ndjson: dump both directions, a line per chunk with connection id,"
            + " direction (< in, > out), time, offset and length. Default: ${DEFAULT-VALUE}."
      })
  Format format;

  @Option(
      names = "--input",
      paramLabel = "MODE",
      defaultValue = "raw",
      converter = InputModeConverter.class,
      description =
          "How stdin is typed: raw, hex ('48 69 0a') or escapes ('hi\\r\\n\\x00'). Default: ${DEFAULT-VALUE}.")
  InputMode input;

  @Option(names = "--crlf", description = "Send line ends as CRLF (outgoing data only).")
  boolean crlf;

  @Option(
      names = "--framing",
      paramLabel = "FRAMING",
      converter = FramingModeConverter.class,
      description =
          "lp (u32 length prefix) or lines: send a message per input line, print a message per line.")
  FramingMode framing;

  Dump dump() {
    return new Dump(format, format != Format.RAW && Terminal.colour());
  }

  InputDecoder decoder() {
    return new InputDecoder(input, crlf);
  }

  /** Picocli's converter for {@link Format}. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return Format.parse(value);
    }
  }

  /** Picocli's converter for {@link InputMode}. */
  static final class InputModeConverter implements picocli.CommandLine.ITypeConverter<InputMode> {
    @Override
    public InputMode convert(String value) {
      return InputMode.parse(value);
    }
  }

  /** Picocli's converter for {@link FramingMode}. */
  static final class FramingModeConverter
      implements picocli.CommandLine.ITypeConverter<FramingMode> {
    @Override
    public FramingMode convert(String value) {
      return FramingMode.parse(value);
    }
  }
}
