package dev.jnet.cli.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plain command line read without picocli, for the start-up lanes ({@code QuickConnect}, {@code
 * QuickScan}, {@code QuickEcho}): positional words, flags and options with a value, each option at
 * most once. A value follows its option as the next word (which must not start with {@code -}) or
 * after {@code =} on a long option. Anything else (an unknown option, one given twice, a flag with
 * a value, an option without one) makes {@link #read} empty, and picocli parses the line instead,
 * so every message stays picocli's.
 *
 * <p>Immutable once read; safe from any thread.
 */
public final class QuickLine {
  private final List<String> words;
  private final Map<String, String> options;

  private QuickLine(List<String> words, Map<String, String> options) {
    this.words = words;
    this.options = options;
  }

  /**
   * Reads {@code args} after the command's name.
   *
   * @param args the whole command line, starting with the command's name
   * @param flags the options without a value, in their long spelling
   * @param valued the options with a value, in their long spelling
   * @param shortNames each short spelling (such as {@code -v}) and its long one
   * @return the line, or empty when picocli should read it
   */
  public static Optional<QuickLine> read(
      String[] args, Set<String> flags, Set<String> valued, Map<String, String> shortNames) {
    List<String> words = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-")) {
        words.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      name = shortNames.getOrDefault(name, name);
      if (flags.contains(name)) {
        if (value != null) {
          return Optional.empty();
        }
        value = "";
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
            return Optional.empty();
          }
          value = args[++i];
        }
      } else {
        return Optional.empty();
      }
      if (options.putIfAbsent(name, value) != null) {
        return Optional.empty(); // given twice: picocli says so
      }
    }
    return Optional.of(new QuickLine(List.copyOf(words), Map.copyOf(options)));
  }

  /**
   * Returns the positional words, in order.
   *
   * @return the words that are not options or their values
   */
  public List<String> words() {
    return words;
  }

  /**
   * Tells whether a flag or option was given.
   *
   * @param name its long spelling
   * @return whether it was given
   */
  public boolean has(String name) {
    return options.containsKey(name);
  }

  /**
   * Returns an option's value.
   *
   * @param name its long spelling
   * @return the value, or null when it was not given
   */
  public String value(String name) {
    return options.get(name);
  }
}
