package dev.jnet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a transcript's text meets a real run. Commands are rewritten so that runs never collide: the
 * folder {@code /tmp/demo} (and {@code /tmp/demo-pipe}) becomes the run's own, the abstract name
 * {@code @jnet-demo} gets a suffix, and every port from 7000 to 7999 moves by one offset (so ranges
 * stay ranges). What a run prints is mapped back, then both sides are masked: clock times, pids,
 * client ports, elapsed times, the JVM's command line up to the jar, the figures of {@code bench},
 * and runs of blanks (columns padded for a longer path). When the test does not run as root, its
 * uid and gid read as root's, as in the transcripts.
 *
 * @param demo the run's folder that stands for {@code /tmp/demo}
 * @param nonce the suffix of abstract names
 * @param offset what is added to each port
 * @param ports the ports the transcripts name
 * @param identity how this user's uid, gid and names read as root's (identity when root)
 */
record TranscriptText(
    Path demo, String nonce, int offset, Set<Integer> ports, UnaryOperator<String> identity) {
  /** A port a transcript names: 7000 to 7999, as a number of its own. */
  static final Pattern PORT = Pattern.compile("(?<![\\d.])7\\d{3}(?!\\d)");

  private static final Pattern MAPPED_PORT = Pattern.compile("(?<![\\d.])\\d{5}(?!\\d)");
  private static final String DEMO = "/tmp/demo";
  private static final String ABSTRACT = "@jnet-demo";

  private static final List<Mask> MASKS =
      List.of(
          new Mask("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}", "HH:MM:SS.micros"),
          new Mask("\"ts\":\"[^\"]*\"", "\"ts\":\"TIME\""),
          new Mask("time=\\d+ms", "time=Nms"),
          new Mask("\\bpid(?:[= ]|\":)\\d+", "pid=N"),
          new Mask("(?<=127\\.0\\.0\\.1:|]:)\\d{5}\\b", "CLIENTPORT"),
          new Mask("(?:/[^\\s\"]*/)?java [^\"]*?([^\\s\"/]+\\.jar) ", "java ... $1 "),
          new Mask("[ \\t]+", " "));

  private static final Pattern FIGURE = Pattern.compile("\\d+(\\.\\d+)?");

  private record Mask(Pattern pattern, String replacement) {
    Mask(String regex, String replacement) {
      this(Pattern.compile(regex), replacement);
    }

    String apply(String s) {
      return pattern.matcher(s).replaceAll(replacement);
    }
  }

  /** The ports named in some text. */
  static Set<Integer> portsIn(String text) {
    return PORT.matcher(text)
        .results()
        .map(r -> Integer.parseInt(r.group()))
        .collect(java.util.stream.Collectors.toSet());
  }

  /** A command of a transcript as this run types it. */
  String forward(String command) {
    String s =
        PORT.matcher(command).replaceAll(r -> String.valueOf(Integer.parseInt(r.group()) + offset));
    return s.replace(DEMO, demo.toString()).replace(ABSTRACT, ABSTRACT + "-" + nonce);
  }

  /** A line the run printed, as the transcript would show it, before masking. */
  String back(String line) {
    String s = line.replace(demo.toString(), DEMO).replace(ABSTRACT + "-" + nonce, ABSTRACT);
    Matcher m = MAPPED_PORT.matcher(s);
    return m.replaceAll(
        r -> {
          int port = Integer.parseInt(r.group()) - offset;
          return ports.contains(port) ? String.valueOf(port) : r.group();
        });
  }

  /** A printed line, mapped back and masked. */
  String maskActual(String line, String command) {
    return mask(identity.apply(back(line)), command);
  }

  /** A line, masked; {@code command} is the command whose output it is. */
  String mask(String line, String command) {
    String s = line;
    for (Mask m : MASKS) {
      s = m.apply(s);
    }
    if (command.contains("jnet bench")) {
      s = FIGURE.matcher(s).replaceAll("N");
    }
    return s.strip();
  }
}
