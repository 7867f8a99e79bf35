package dev.tta.models.server.cli;

import dev.tta.models.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mm} command line. */
@Command(
    name = "mm",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "TTA Model Management: many LLM providers behind one interface.",
    subcommands = {
      ServeCommand.class,
      ModelsCommand.class,
      SelectCommand.class,
      ChatCommand.class,
      StatusCommand.class,
      ProvidersCommand.class,
      PullCommand.class,
      ResetCommand.class,
      SpendCommand.class,
      HashKeyCommand.class,
      DemoCommand.class,
      VersionCommand.class
    })
public final class MmCommand implements Runnable {

  /** Exit code when the command ran but found no model that meets the requirements. */
  public static final int EXIT_NO_MODEL = 1;

  /** Exit code for bad options or a configuration with problems (picocli's usage code too). */
  public static final int EXIT_CONFIG = 2;

  /** Exit code when models were called and every one failed. */
  public static final int EXIT_FAILED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    return new CommandLine(new MmCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              if (e instanceof ConfigException problems) {
                commandLine.getErr().println("mm: the configuration " + problems.getMessage());
                commandLine.getErr().flush();
                return EXIT_CONFIG;
              }
              commandLine.getErr().println("mm: " + e.getMessage());
              if (System.getenv("MM_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
              }
              commandLine.getErr().flush();
              return EXIT_NO_MODEL;
            });
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
