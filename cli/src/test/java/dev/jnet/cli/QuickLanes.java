package dev.jnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The two checks each start-up lane's test makes against picocli's parse of the same lines. */
final class QuickLanes {
  private QuickLanes() {}

  /**
   * Each line gives the lane exactly what picocli gives.
   *
   * @param lane the lane's parser
   * @param picocli picocli's parse, to the same spec
   * @param lines the command lines
   * @param <T> the spec
   */
  static <T> void assertReadLikePicocli(
      Function<String[], Optional<T>> lane, Function<String[], T> picocli, List<String[]> lines) {
    for (String[] line : lines) {
      assertThat(lane.apply(line)).as(String.join(" ", line)).contains(picocli.apply(line));
    }
  }

  /**
   * The lane takes none of these lines: picocli reads them (and reports their errors).
   *
   * @param lane the lane's parser
   * @param lines the command lines
   */
  static void assertLeftToPicocli(Function<String[], Optional<?>> lane, List<String[]> lines) {
    for (String[] line : lines) {
      assertThat(lane.apply(line)).as(String.join(" ", line)).isEqualTo(Optional.empty());
    }
  }
}
