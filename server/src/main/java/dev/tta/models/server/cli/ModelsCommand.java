package dev.tta.models.server.cli;

import dev.tta.models.management.ModelSummary;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the models the configured providers offer. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List every model of every configured provider, with prices, context and scores.",
      "Exit code 0, or 2 when the configuration has problems."
    })
final class ModelsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--provider", paramLabel = "NAME", description = "Only this provider's models.")
  String provider;

  @Option(names = "--free", description = "Only free models.")
  boolean free;

  @Option(names = "--json", description = "JSON for scripts instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    try (GatewayRuntime runtime = GatewayRuntime.start(config.load(System.getenv()))) {
      List<ModelSummary> models =
          runtime.management().availableModels(Optional.ofNullable(provider), free);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Tables.json(out, models);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (ModelSummary m : models) {
        rows.add(
            List.of(
                m.key(),
                m.providerType(),
                m.contextLength().isPresent()
                    ? Integer.toString(m.contextLength().getAsInt())
                    : "-",
                m.free() ? "free" : Tables.price(m.inputCostPerToken()),
                m.free() ? "free" : Tables.price(m.outputCostPerToken()),
                score(m.therapeuticSafetyScore()),
                score(m.performanceScore()),
                String.join(",", m.capabilities())));
      }
      Tables.print(
          out,
          List.of(
              "MODEL",
              "TYPE",
              "CONTEXT",
              "IN $/TOKEN",
              "OUT $/TOKEN",
              "SAFETY",
              "PERF",
              "CAPABILITIES"),
          rows);
      out.println(models.size() + (models.size() == 1 ? " model" : " models"));
      for (String problem : runtime.catalog().unavailable()) {
        spec.commandLine().getErr().println("cannot list " + problem);
      }
      out.flush();
      return 0;
    }
  }

  private static String score(OptionalDouble score) {
    return score.isPresent() ? String.format(Locale.ROOT, "%.1f", score.getAsDouble()) : "-";
  }
}
