package dev.tta.models.server.cli;

import dev.tta.models.providers.local.LlamaCppLog;
import dev.tta.models.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

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

  /**
   * The SLF4J backend's level for this project's loggers (llama.cpp's lines among them); the JDK's
   * and the libraries' own debug output stays off. A level given with -D wins.
   */
  static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.dev.tta.models";

  static final String VERBOSE = "--verbose";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Log at debug level, llama.cpp's model loading included (quiet by default).")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    return new CommandLine(new MmCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionStrategy(
            parseResult -> {
              if (verbose(parseResult)) {
                beVerbose();
              }
              return new CommandLine.RunLast().execute(parseResult);
            })
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

  /** Whether {@value #VERBOSE} was given, before or after a subcommand's name. */
  static boolean verbose(ParseResult parseResult) {
    for (ParseResult level = parseResult;
        level != null;
        level = level.hasSubcommand() ? level.subcommand() : null) {
      if (level.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  /** Must run before the first logger is made: the backend reads its level once. */
  private static void beVerbose() {
    if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(LOG_LEVEL_PROPERTY, "debug");
    }
    LlamaCppLog.verbose(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
