package dev.tta.models.benchmarks;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.selection.SelectionSnapshot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One {@code select()} over a synthetic catalog: filters, every score term, and the ranking. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SelectionBenchmark {

  @Param({"500", "10000"})
  int models;

  private List<ModelInfo> catalog;
  private ModelSelector selector;
  private ModelRequirements requirements;

  @Setup
  public void setUp() {
    catalog = SyntheticCatalog.of(models, 42);
    selector = new ModelSelector(SelectionConfig.defaults());
    requirements =
        ModelRequirements.builder(TaskType.THERAPEUTIC_RESPONSE)
            .maxCostPerToken(0.00003)
            .requiredCapabilities("chat")
            .preferFree(true)
            .build();
  }

  @Benchmark
  public Selection select() {
    return selector.select(catalog, requirements, SelectionSnapshot.empty());
  }
}
