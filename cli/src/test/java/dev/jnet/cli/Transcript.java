package dev.jnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One CLI transcript of a Markdown file: a fenced block with no language whose first line starts
 * with {@code $ }, read as a shell session. Each {@code $ COMMAND} line is followed by what the
 * command printed (stdout and stderr together) and, interleaved with it, what the background jobs
 * started earlier in the block printed. A command that ends with {@code &} starts such a job.
 *
 * <p>What a reader need not see goes in an HTML comment right above the fence, run before the block
 * and never compared: peers the transcript talks to, each line a shell line ({@code &} starts a
 * hidden job, killed with the block's own jobs).
 *
 * <pre>
 * &lt;!-- transcript-setup
 * jnet listen --exec 'echo partial; exec sleep 600' tcp://127.0.0.1:7031 &amp;
 * await_port 7031
 * --&gt;
 * </pre>
 *
 * @param file the Markdown file
 * @param line the line of the opening fence (1-based)
 * @param setup the hidden set-up lines, in order
 * @param steps the commands with their expected output
 */
record Transcript(Path file, int line, List<String> setup, List<Step> steps) {
  private static final String FENCE = "```";
  private static final String SETUP_OPEN = "<!-- transcript-setup";
  private static final String SETUP_CLOSE = "-->";

  /**
   * One {@code $} line of a transcript.
   *
   * @param line its line in the file (1-based)
   * @param command the shell command, as typed (with its comment)
   * @param expected the lines shown after it until the next {@code $} line
   */
  record Step(int line, String command, List<String> expected) {
    /** The command without its trailing {@code # comment}. */
    String code() {
      return Shell.withoutComment(command).strip();
    }

    /** The command's trailing comment, empty when it has none. */
    String comment() {
      return command.substring(Shell.withoutComment(command).length()).strip();
    }

    /** Whether the command starts a background job. */
    boolean background() {
      String code = code();
      return code.endsWith("&") && !code.endsWith("&&");
    }
  }

  /** Where this transcript is, as {@code FILE:LINE}. */
  String where() {
    return file.getFileName() + ":" + line;
  }

  /**
   * Reads the transcripts of a Markdown file.
   *
   * @param file the file
   * @return its transcripts, in order
   * @throws IOException if it cannot be read
   */
  static List<Transcript> parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Transcript> found = new ArrayList<>();
    List<String> setup = List.of();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.strip().equals(SETUP_OPEN)) {
        int end = i + 1;
        while (!lines.get(end).strip().equals(SETUP_CLOSE)) {
          end++;
        }
        setup = List.copyOf(lines.subList(i + 1, end));
        i = end;
      } else if (l.startsWith(FENCE)) {
        int end = i + 1;
        while (!lines.get(end).startsWith(FENCE)) {
          end++;
        }
        List<String> body = lines.subList(i + 1, end);
        if (l.equals(FENCE) && !body.isEmpty() && body.get(0).startsWith("$ ")) {
          found.add(new Transcript(file, i + 1, setup, steps(body, i + 2)));
        } else if (!setup.isEmpty()) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": set-up above a non-transcript");
        }
        setup = List.of();
        i = end;
      } else if (!l.isBlank() && !setup.isEmpty()) {
        throw new IllegalStateException(file + ":" + (i + 1) + ": text between set-up and block");
      }
    }
    return found;
  }

  private static List<Step> steps(List<String> body, int firstLine) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < body.size(); ) {
      int start = i++;
      while (i < body.size() && !body.get(i).startsWith("$ ")) {
        i++;
      }
      List<String> expected = List.copyOf(body.subList(start + 1, i));
      steps.add(new Step(firstLine + start, body.get(start).substring(2), expected));
    }
    return steps;
  }

  /** Just enough of the shell's grammar to find a comment. */
  static final class Shell {
    private Shell() {}

    /** The line up to its {@code #} comment: a {@code #} after a blank, outside quotes. */
    static String withoutComment(String line) {
      char quote = 0;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else if (c == '\\' && quote == '"') {
            i++;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\') {
          i++;
        } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
          return line.substring(0, i);
        }
      }
      return line;
    }
  }
}
