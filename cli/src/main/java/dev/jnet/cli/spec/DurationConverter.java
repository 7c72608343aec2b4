package dev.jnet.cli.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses the CLI's durations: {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}; a
 * bare number is seconds.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  /** How durations are written, for messages and help. */
  public static final String GRAMMAR =
      "a number with an optional unit ms, s, m or h (bare numbers are seconds)";

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses a duration.
   *
   * @param text such as {@code 500ms}
   * @return the duration, zero or more
   * @throws TypeConversionException if the text is not a duration
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new TypeConversionException("invalid duration '" + text + "': expected " + GRAMMAR);
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    long nanosPerUnit =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> 1_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 1_000_000_000L;
        };
    try {
      return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    } catch (ArithmeticException e) {
      throw new TypeConversionException("invalid duration '" + text + "': too long or too precise");
    }
  }

  /**
   * Formats a duration the way users write it: {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code
   * 2m}.
   *
   * @param d the duration
   * @return the text
   */
  public static String format(Duration d) {
    if (d.toMillis() < 1000 && d.toNanos() % 1_000_000 == 0) {
      return d.toMillis() + "ms";
    }
    if (d.toSeconds() >= 60 && d.toNanos() % 60_000_000_000L == 0) {
      return d.toMinutes() + "m";
    }
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }
}
