package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.selection.DroppedModel;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.ScoredCandidate;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.selection.SelectionSnapshot;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Ranks the configured providers' models (or the demo catalog's) for a task and shows why. */
@Command(
    name = "select",
    mixinStandardHelpOptions = true,
    description = {
      "Rank the configured providers' models for a task and requirements (--demo: the built-in"
          + " demo catalog instead).",
      "Exit code 0 when a model qualifies, 1 when none does, 2 for bad options."
    })
final class SelectCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--task",
      required = true,
      description = "One of: ${COMPLETION-CANDIDATES}",
      converter = TaskTypeConverter.class,
      completionCandidates = TaskTypeConverter.Names.class)
  TaskType task;

  @Option(names = "--max-cost", description = "Highest price per token, USD (e.g. 0.00001).")
  Double maxCost;

  @Option(names = "--max-latency", description = "Slowest acceptable response, milliseconds.")
  Long maxLatencyMs;

  @Option(names = "--min-quality", description = "Lowest acceptable performance score, 0-10.")
  Double minQuality;

  @Option(names = "--context", description = "Tokens of context needed.")
  Integer context;

  @Option(names = "--require", description = "A capability the model must have (repeatable).")
  List<String> capabilities = List.of();

  @Option(
      names = "--no-safety",
      description = "Do not require therapeutic safety (it is required by default).")
  boolean noSafety;

  @Option(names = "--prefer-free", description = "Give free models a bonus.")
  boolean preferFree;

  @Option(names = "--prefer-local", description = "Give local models a bonus.")
  boolean preferLocal;

  @Option(names = "--explain", description = "Show every score term and why models were dropped.")
  boolean explain;

  @Option(
      names = "--json",
      description = "JSON for scripts: ranked models with scores, dropped with why.")
  boolean json;

  @Option(
      names = "--demo",
      description = "Rank the built-in demo catalog, not the configured providers.")
  boolean demo;

  @Mixin ConfigOption config;

  @Override
  public Integer call() {
    ModelRequirements.Builder requirements =
        ModelRequirements.builder(task)
            .requiredCapabilities(capabilities)
            .therapeuticSafetyRequired(!noSafety)
            .preferFree(preferFree)
            .preferLocal(preferLocal);
    try {
      if (maxCost != null) {
        requirements.maxCostPerToken(maxCost);
      }
      if (maxLatencyMs != null) {
        requirements.maxLatencyMs(maxLatencyMs);
      }
      if (minQuality != null) {
        requirements.minQualityScore(minQuality);
      }
      if (context != null) {
        requirements.contextLengthNeeded(context);
      }
      return print(requirements.build());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static Map<String, Object> selectionJson(Selection selection) {
    List<Map<String, Object>> ranked = new ArrayList<>();
    for (ScoredCandidate candidate : selection.ranked()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("model", candidate.model().key().toString());
      entry.put("score", candidate.score());
      ranked.add(entry);
    }
    List<Map<String, Object>> dropped = new ArrayList<>();
    for (DroppedModel drop : selection.dropped()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("model", drop.model().key().toString());
      entry.put("rule", drop.rule().name().toLowerCase(Locale.ROOT));
      entry.put("detail", drop.detail());
      dropped.add(entry);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("best", selection.best().map(b -> b.model().key().toString()).orElse(null));
    result.put("ranked", ranked);
    result.put("dropped", dropped);
    return result;
  }

  private int print(ModelRequirements requirements) {
    Selection selection;
    PrintWriter out = spec.commandLine().getOut();
    if (demo) {
      selection =
          new ModelSelector(SelectionConfig.defaults())
              .select(DemoCatalog.models(), requirements, SelectionSnapshot.empty());
      if (!json) {
        out.println("Built-in demo catalog (without --demo the configured providers are ranked).");
      }
    } else {
      try (GatewayRuntime runtime = GatewayRuntime.start(config.load(System.getenv()))) {
        selection = runtime.router().select(requirements);
      }
    }
    if (json) {
      Tables.json(out, selectionJson(selection));
    } else if (explain) {
      out.println(selection.explain());
    } else {
      int rank = 1;
      for (ScoredCandidate candidate : selection.ranked()) {
        out.printf(
            Locale.ROOT, "%2d. %-50s %6.2f%n", rank++, candidate.model().key(), candidate.score());
      }
      if (!selection.dropped().isEmpty()) {
        out.println(selection.dropped().size() + " dropped; --explain shows why.");
      }
    }
    out.flush();
    if (selection.best().isEmpty()) {
      spec.commandLine().getErr().println("No model meets the requirements.");
      return MmCommand.EXIT_NO_MODEL;
    }
    return 0;
  }
}
