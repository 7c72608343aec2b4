package dev.jnet.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "10s, 10000",
    "2m, 120000",
    "1h, 3600000",
    "3, 3000",
    "1.5s, 1500",
    "0.25, 250",
    "0, 0",
    "' 7s ', 7000",
  })
  void parsesEveryUnitAndBareSeconds(String text, long millis) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "s",
        "x",
        "-1s",
        "10 s",
        "1d",
        "1.s",
        "ms10",
        "1e3",
        "999999999999h",
        "0.0000000001s"
      })
  void rejectsWhatIsNotADurationWithTheGrammar(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void theErrorNamesTheUnits() {
    assertThatThrownBy(() -> DurationConverter.parse("soon"))
        .hasMessage("invalid duration 'soon': expected " + DurationConverter.GRAMMAR);
  }

  @ParameterizedTest
  @CsvSource({"500, 500ms", "10000, 10s", "1500, 1.5s", "120000, 2m", "90000, 90s", "0, 0ms"})
  void formatsTheWayUsersWriteIt(long millis, String text) {
    assertThat(DurationConverter.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }
}
