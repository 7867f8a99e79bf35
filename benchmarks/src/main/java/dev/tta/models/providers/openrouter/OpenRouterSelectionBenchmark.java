package dev.tta.models.providers.openrouter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tta.models.benchmarks.SyntheticCatalog;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.selection.SelectionSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code select()} over OpenRouter's real catalog (its 321 models as recorded in {@code
 * ../shared/fixtures/openrouter/models.json}, read the way the provider reads its listing) for a
 * general chat request with a cost ceiling; target 20 µs. Without {@code ../shared} (a user's
 * clone, or {@code -Dmm.shared.dir}) it says so and measures a synthetic catalog of the same size
 * instead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenRouterSelectionBenchmark {

  static final String FIXTURE = "fixtures/openrouter/models.json";
  static final int RECORDED_SIZE = 321;

  private List<ModelInfo> catalog;
  private final ModelSelector selector = new ModelSelector(SelectionConfig.defaults());
  private final ModelRequirements requirements =
      ModelRequirements.builder(TaskType.GENERAL_CHAT)
          .maxCostPerToken(0.00001)
          .contextLengthNeeded(8_000)
          .build();

  @Setup
  public void setUp() throws IOException {
    Path shared = Path.of(System.getProperty("mm.shared.dir", Path.of("..", "shared").toString()));
    Path fixture = shared.resolve(FIXTURE);
    if (Files.isRegularFile(fixture)) {
      catalog =
          OpenRouterCatalog.parse(
              ProviderId.of("openrouter"), new ObjectMapper().readTree(fixture.toFile()));
      System.err.println("selection over the recorded OpenRouter catalog: " + catalog.size());
    } else {
      catalog = SyntheticCatalog.of(RECORDED_SIZE, 42);
      System.err.println(
          "no "
              + fixture
              + " (../shared is absent): a synthetic catalog of "
              + RECORDED_SIZE
              + " models instead");
    }
  }

  @Benchmark
  public Selection select() {
    return selector.select(catalog, requirements, SelectionSnapshot.empty());
  }
}
