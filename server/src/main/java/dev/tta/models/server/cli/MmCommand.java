package dev.tta.models.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mm} command line. */
@Command(
    name = "mm",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "TTA Model Management: many LLM providers behind one interface.",
    subcommands = {SelectCommand.class, DemoCommand.class, VersionCommand.class})
public final class MmCommand implements Runnable {

  /** Exit code when the command ran but found no model that meets the requirements. */
  public static final int EXIT_NO_MODEL = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    return new CommandLine(new MmCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
