package dev.jnet.cli;

import dev.jnet.cli.spec.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jnet manpage}: prints jnet's manual page, {@code jnet(1)} in man(7) format, generated from
 * the same command model as {@code --help} (every command, option, exit code and example), so the
 * page cannot drift from the tool. The release archive ships its output as {@code
 * share/man/man1/jnet.1}. Hidden: it is a build step, not a user's command.
 */
@Command(name = "manpage", hidden = true, description = "Print the man page (man(7) format).")
final class ManPageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CommandLine root = spec.root().commandLine();
    String version = root.getCommandSpec().version().length > 0 ? version(root) : "";
    out.println(".TH JNET 1 \"\" \"" + esc(version) + "\" \"User Commands\"");
    out.println(".SH NAME");
    out.println("jnet \\- " + esc(first(root.getCommandSpec().usageMessage().description())));
    out.println(".SH SYNOPSIS");
    out.println(".B jnet");
    out.println("\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]");
    out.println(".SH DESCRIPTION");
    paragraphs(out, root.getCommandSpec().usageMessage().description());
    out.println(".SH COMMANDS");
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      CommandSpec sub = e.getValue().getCommandSpec();
      if (sub.usageMessage().hidden() || e.getKey().equals("help")) {
        continue;
      }
      command(out, e.getValue());
    }
    out.println(".SH EXIT STATUS");
    codes(out, ExitCodes.help());
    out.println(".SH ENDPOINTS AND EXAMPLES");
    verbatim(out, root.getCommandSpec().usageMessage().footer());
    out.println(".SH SEE ALSO");
    out.println("\\fBjnet help\\fR \\fICOMMAND\\fR, \\fBsocat\\fR(1), \\fBncat\\fR(1)");
    out.flush();
    return ExitCodes.OK;
  }

  private static String version(CommandLine root) {
    String v = root.getCommandSpec().version()[0];
    return v.startsWith("jnet ") ? v : "jnet";
  }

  private static void command(PrintWriter out, CommandLine cl) {
    CommandSpec c = cl.getCommandSpec();
    UsageMessageSpec u = c.usageMessage();
    String synopsis = cl.getHelp().synopsis(0).replaceFirst("^Usage: ", "").strip();
    out.println(".SS \"" + esc(synopsis.replaceAll("\\s+", " ")) + "\"");
    paragraphs(out, u.header());
    paragraphs(out, u.description());
    for (PositionalParamSpec p : c.positionalParameters()) {
      if (!p.hidden()) {
        out.println(".TP");
        out.println("\\fI" + esc(p.paramLabel()) + "\\fR");
        out.println(esc(String.join(" ", p.description())));
      }
    }
    for (OptionSpec o : c.options()) {
      if (o.hidden()) {
        continue;
      }
      out.println(".TP");
      String names = String.join(", ", o.names());
      String label = o.typeInfo().isBoolean() ? "" : "=\\fI" + esc(o.paramLabel()) + "\\fR";
      out.println("\\fB" + esc(names) + "\\fR" + label);
      out.println(esc(String.join(" ", o.description())));
    }
    if (!u.exitCodeList().isEmpty()) {
      out.println(".PP");
      out.println("Exit codes:");
      codes(out, u.exitCodeList());
    }
    if (u.footer().length > 0) {
      out.println(".PP");
      out.println("Examples:");
      verbatim(out, u.footer());
    }
  }

  private static void codes(PrintWriter out, Map<String, String> codes) {
    codes.forEach(
        (code, meaning) -> {
          out.println(".TP");
          out.println(".B " + code.strip());
          out.println(esc(meaning));
        });
  }

  private static void paragraphs(PrintWriter out, String[] text) {
    for (String p : text) {
      for (String line : p.replace("%n", "\n").split("\n")) {
        if (!line.isBlank()) {
          out.println(".PP");
          out.println(esc(line.strip()));
        }
      }
    }
  }

  private static void verbatim(PrintWriter out, String[] lines) {
    out.println(".nf");
    for (String l : List.of(lines)) {
      out.println(esc(l.replace("%n", "")));
    }
    out.println(".fi");
  }

  private static String first(String[] text) {
    return text.length == 0 ? "" : text[0].replace("%n", " ").strip();
  }

  /** Escapes text for man(7): backslashes, hyphens, and a leading dot or quote. */
  static String esc(String s) {
    String t = s.replace("\\", "\\e").replace("-", "\\-");
    return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
  }
}
