package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.ollama.OllamaProvider;
import dev.tta.models.providers.ollama.PullProgress;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Has an Ollama server download a model, showing its progress. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Download a model into an Ollama provider: mm pull ollama/llama3.2",
      "Exit code 0 when the pull succeeded, 1 when it failed, 2 for a name that is not an"
          + " Ollama provider's."
    })
final class PullCommand implements Callable<Integer> {

  /** Ollama sends progress lines every few hundred ms; a minute of silence means trouble. */
  static final Duration QUIET_LIMIT = Duration.ofSeconds(60);

  private static final int BAR_WIDTH = 30;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "PROVIDER/MODEL", description = "e.g. ollama/llama3.2")
  String model;

  @Override
  public Integer call() {
    ModelKey key;
    try {
      key = ModelKey.parse(model);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (GatewayRuntime runtime = GatewayRuntime.start(config.load(System.getenv()))) {
      Optional<ModelProvider> provider = runtime.providers().get(key.provider());
      if (provider.isEmpty() || !(provider.get() instanceof OllamaProvider ollama)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "'"
                + key.provider()
                + "' is not a configured Ollama provider (mm providers lists them)");
      }
      PrintWriter out = spec.commandLine().getOut();
      try {
        ollama.pull(key.modelId(), QUIET_LIMIT, progress -> out.print("\r" + line(progress)));
        out.println();
        out.println("pulled " + key);
        out.flush();
        return 0;
      } catch (ProviderException e) {
        out.println();
        out.flush();
        spec.commandLine().getErr().println("pull failed: " + e.getMessage());
        return MmCommand.EXIT_NO_MODEL;
      }
    }
  }

  /** One progress line: the status, and a bar with the share done while a layer downloads. */
  static String line(PullProgress progress) {
    if (progress.fraction().isEmpty()) {
      return String.format(Locale.ROOT, "%-72s", progress.status());
    }
    double done = progress.fraction().getAsDouble();
    int filled = (int) Math.round(done * BAR_WIDTH);
    return String.format(
        Locale.ROOT,
        "%-24s [%s%s] %5.1f%% of %s",
        progress.status(),
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        done * 100,
        size(progress.totalBytes()));
  }

  static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    if (bytes >= 1L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
    }
    return bytes + " B";
  }
}
