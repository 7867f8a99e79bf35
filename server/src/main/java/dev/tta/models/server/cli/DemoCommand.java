package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.selection.SelectionSnapshot;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Shows selection at work on the built-in catalog: a therapeutic response (safety required), then
 * narrative generation on a budget preferring free models, each with its full explanation.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Select models for two example requests and explain every decision.")
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ModelSelector selector = new ModelSelector(SelectionConfig.defaults());
    PrintWriter out = spec.commandLine().getOut();
    out.println("TTA Model Management demo: selection over the built-in catalog");
    out.println("(no provider is called; ./mm select --help ranks for your own requirements)");
    show(out, selector, ModelRequirements.forTask(TaskType.THERAPEUTIC_RESPONSE));
    show(
        out,
        selector,
        ModelRequirements.builder(TaskType.NARRATIVE_GENERATION)
            .maxCostPerToken(0.000001)
            .preferFree(true)
            .build());
    out.flush();
    return 0;
  }

  private static void show(
      PrintWriter out, ModelSelector selector, ModelRequirements requirements) {
    Selection selection =
        selector.select(DemoCatalog.models(), requirements, SelectionSnapshot.empty());
    out.println();
    out.println("=".repeat(78));
    out.println(selection.explain());
  }
}
