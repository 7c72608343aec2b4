package dev.jnet.cli;

import dev.jnet.cli.spec.CommandFailure;
import dev.jnet.cli.spec.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnet completion bash|zsh}: a shell completion script generated from the command model. */
@Command(
    name = "completion",
    header = "Print a shell completion script (bash; zsh through bashcompinit).",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    description = {
      "Generated from jnet's own command model, so it always knows every command and option."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(jnet completion bash)",
      "  jnet completion bash > ~/.local/share/bash-completion/completions/jnet",
      "  autoload -U bashcompinit && bashcompinit && source <(jnet completion zsh)",
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Parameters(
      paramLabel = "SHELL",
      defaultValue = "bash",
      arity = "0..1",
      description = "bash or zsh. Default: ${DEFAULT-VALUE}.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new CommandFailure(
          ExitCodes.USAGE, "completion: unsupported shell '" + shell + "': bash or zsh");
    }
    String script = AutoComplete.bash("jnet", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
