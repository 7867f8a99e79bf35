package dev.tta.models.selection;

import static dev.tta.models.testing.PropertyChecks.qt;
import static dev.tta.models.testing.PropertyChecks.subsetsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.ModelStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ModelSelectorProperties {

  private static final long GIB = Fixtures.GIB;

  /** Shared across tries, so that what it remembers from one catalog meets the next. */
  private static final ModelSelector SHARED = new ModelSelector(SelectionConfig.defaults());

  /**
   * Cost weight 0, so that models with different prices often score the same and the cost and key
   * tie-breaks decide; shared like {@link #SHARED}.
   */
  private static final ModelSelector PRICE_BLIND =
      new ModelSelector(SelectionConfig.builder().costWeight(0).build());

  private record Scenario(
      List<ModelInfo> catalog, ModelRequirements requirements, SelectionSnapshot snapshot) {

    /** A model a line, so that a shrunk falsifying scenario can be read. */
    @Override
    public String toString() {
      return catalog.stream()
              .map(ModelInfo::toString)
              .collect(Collectors.joining("\n  ", "catalog:\n  ", "\n"))
          + "requirements: "
          + requirements
          + "\nsnapshot: "
          + snapshot;
    }
  }

  private record Traits(
      int provider,
      double performance,
      double safety,
      double cost,
      boolean free,
      Set<String> capabilities,
      int contextLength,
      long memory) {}

  private static final ProviderId[] PROVIDERS = {
    ProviderId.of("openrouter"),
    ProviderId.of("anthropic"),
    ProviderId.of("ollama"),
    ProviderId.of("lmstudio")
  };
  private static final ProviderType[] TYPES = {
    ProviderType.OPENROUTER, ProviderType.ANTHROPIC, ProviderType.OLLAMA, ProviderType.LM_STUDIO
  };
  private static final List<String> FAMILIES =
      List.of("claude-3", "gpt-4o", "llama-3.1-8b", "llama3.1:8b", "qwen2.5", "mistral-7b");
  private static final int MAX_CATALOG_SIZE = 25;
  private static final List<String> CAPABILITIES =
      List.of("chat", "tools", "empathy", "storytelling", "long_form", "conversation");

  // ---------------------------------------------------------------- generators
  // Gen.zip combines at most five generators; the larger generators below draw each of their parts
  // from the one source, as zip does.

  private static Gen<Traits> traits() {
    Gen<Integer> providers = integers().between(0, PROVIDERS.length - 1);
    Gen<Double> performances = Generate.pick(List.of(-1.0, 0.0, 2.5, 5.0, 6.5, 8.0, 10.0));
    Gen<Double> safeties = Generate.pick(List.of(-1.0, 0.0, 6.9, 7.0, 8.5, 10.0));
    Gen<Double> costs = Generate.pick(List.of(0.0, 0.000001, 0.000015, 0.0001, 0.005, 0.02));
    Gen<Boolean> flags = booleans().all();
    Gen<Set<String>> capabilities = subsetsOf(CAPABILITIES, 4);
    Gen<Integer> contextLengths = Generate.pick(List.of(2048, 4096, 8192, 32768));
    Gen<Long> memories = Generate.pick(List.of(-1L, 2 * GIB, 8 * GIB, 16 * GIB));
    return in ->
        new Traits(
            providers.generate(in),
            performances.generate(in),
            safeties.generate(in),
            costs.generate(in),
            flags.generate(in),
            capabilities.generate(in),
            contextLengths.generate(in),
            memories.generate(in));
  }

  private static ModelInfo model(Traits traits, String id) {
    ModelInfo.Builder builder =
        ModelInfo.builder(PROVIDERS[traits.provider()], TYPES[traits.provider()], id)
            .costPerToken(traits.cost() / 2, traits.cost())
            .free(traits.cost() == 0 && traits.free())
            .capabilities(traits.capabilities())
            .contextLength(traits.contextLength());
    if (traits.performance() >= 0) {
      builder.performanceScore(traits.performance());
    }
    if (traits.safety() >= 0) {
      builder.therapeuticSafetyScore(traits.safety());
    }
    if (traits.memory() > 0) {
      builder.estimatedMemoryBytes(traits.memory());
    }
    return builder.build();
  }

  /** Each limit and the required capabilities are present in 40 % and 30 % of requirements. */
  private static Gen<ModelRequirements> requirements() {
    Gen<TaskType> taskTypes = Generate.enumValues(TaskType.class);
    Gen<Optional<Long>> maxLatencies =
        Generate.pick(List.of(500L, 2000L, 3000L, 4000L)).toOptionals(60);
    Gen<Optional<Double>> minQualities = Generate.pick(List.of(0.0, 5.0, 6.5, 8.0)).toOptionals(60);
    Gen<Optional<Double>> maxCosts =
        Generate.pick(List.of(0.0, 0.00001, 0.0001, 0.01)).toOptionals(60);
    Gen<Optional<Set<String>>> requiredCapabilities = subsetsOf(CAPABILITIES, 2).toOptionals(70);
    Gen<Integer> contextLengths = Generate.pick(List.of(0, 4096, 8192, 16384));
    Gen<Boolean> flags = booleans().all();
    return in -> {
      ModelRequirements.Builder builder = ModelRequirements.builder(taskTypes.generate(in));
      maxLatencies.generate(in).ifPresent(builder::maxLatencyMs);
      minQualities.generate(in).ifPresent(builder::minQualityScore);
      maxCosts.generate(in).ifPresent(builder::maxCostPerToken);
      requiredCapabilities.generate(in).ifPresent(builder::requiredCapabilities);
      return builder
          .contextLengthNeeded(contextLengths.generate(in))
          .therapeuticSafetyRequired(flags.generate(in))
          .preferFree(flags.generate(in))
          .preferLocal(flags.generate(in))
          .build();
    };
  }

  private static Gen<ModelStats> stats() {
    Gen<Integer> counts = integers().between(0, 12);
    Gen<Double> latencies = Generate.pick(List.of(100.0, 800.0, 2500.0, 5000.0));
    Gen<Integer> firstTokenCounts = integers().between(0, 3);
    Gen<Double> firstTokenLatencies = Generate.pick(List.of(50.0, 400.0, 1200.0));
    Gen<Optional<Double>> qualities = Generate.pick(List.of(2.0, 5.0, 9.0)).toOptionals(5);
    return in -> {
      int calls = counts.generate(in);
      int succeeded = Math.min(calls, counts.generate(in));
      double latency = latencies.generate(in);
      int firstTokens = Math.min(succeeded, firstTokenCounts.generate(in));
      double firstTokenLatency = firstTokenLatencies.generate(in);
      OptionalDouble quality =
          qualities.generate(in).map(OptionalDouble::of).orElse(OptionalDouble.empty());
      return Fixtures.stats(calls, succeeded, latency, firstTokens, firstTokenLatency, quality);
    };
  }

  /**
   * A catalog of 0 to 25 models, requirements, and a snapshot in which half of the models are
   * measured, a fifth unavailable, and the free memory known in 95 %. The parts of all 25 models
   * are drawn, and the catalog's size last: QuickTheories shrinks the sequence of draws, so
   * shrinking the size then leaves every other draw where it was.
   */
  private static Gen<Scenario> scenarios() {
    Gen<ModelRequirements> requirementsDrawn = requirements();
    Gen<Optional<Long>> freeMemories =
        Generate.pick(List.of(GIB, 8 * GIB, 32 * GIB)).toOptionals(5);
    Gen<List<Traits>> traitLists = lists().of(traits()).ofSize(MAX_CATALOG_SIZE);
    Gen<List<String>> familyLists = lists().of(Generate.pick(FAMILIES)).ofSize(MAX_CATALOG_SIZE);
    Gen<List<Optional<ModelStats>>> statsLists =
        lists().of(stats().toOptionals(50)).ofSize(MAX_CATALOG_SIZE);
    Gen<List<Optional<String>>> unavailabilityLists =
        lists()
            .of(Generate.pick(List.of("circuit open", "excluded after 3 failures")).toOptionals(80))
            .ofSize(MAX_CATALOG_SIZE);
    Gen<Integer> catalogSizes = integers().between(0, MAX_CATALOG_SIZE);
    return in -> {
      ModelRequirements requirements = requirementsDrawn.generate(in);
      Optional<HardwareProfile> hardware = freeMemories.generate(in).map(Fixtures::hardware);
      List<Traits> traits = traitLists.generate(in);
      List<String> families = familyLists.generate(in);
      List<Optional<ModelStats>> stats = statsLists.generate(in);
      List<Optional<String>> unavailability = unavailabilityLists.generate(in);
      int catalogSize = catalogSizes.generate(in);
      List<ModelInfo> catalog = new ArrayList<>();
      Map<ModelKey, ModelStats> measurements = new HashMap<>();
      Map<ModelKey, String> unavailable = new HashMap<>();
      for (int i = 0; i < catalogSize; i++) {
        ModelInfo model = model(traits.get(i), families.get(i) + "-" + i);
        catalog.add(model);
        stats.get(i).ifPresent(measured -> measurements.put(model.key(), measured));
        unavailability.get(i).ifPresent(reason -> unavailable.put(model.key(), reason));
      }
      return new Scenario(
          catalog, requirements, new SelectionSnapshot(measurements, hardware, unavailable));
    };
  }

  // ---------------------------------------------------------------- the rules, restated

  /**
   * Whether the model breaks each rule, in {@link DropRule} order, computed without the selector.
   */
  private static boolean[] broken(ModelInfo model, ModelRequirements r, SelectionSnapshot s) {
    ModelStats stats = s.measurements().get(model.key());
    long latency =
        stats != null && stats.successes() >= 5
            ? (long) stats.latency().p50Ms()
            : model.local() ? 4000 : 2000;
    OptionalLong memory = model.estimatedMemoryBytes();
    Optional<HardwareProfile> hardware = s.hardware();
    return new boolean[] {
      s.unavailable().containsKey(model.key()),
      r.maxLatencyMs().isPresent() && latency > r.maxLatencyMs().getAsLong(),
      r.maxCostPerToken().isPresent()
          && Math.max(model.inputCostPerToken(), model.outputCostPerToken())
              > r.maxCostPerToken().getAsDouble(),
      r.minQualityScore().isPresent()
          && model.performanceScore().orElse(5) < r.minQualityScore().getAsDouble(),
      r.therapeuticSafetyRequired()
          && (model.therapeuticSafetyScore().isPresent()
              ? model.therapeuticSafetyScore().getAsDouble() < 7
              : model.local()),
      model.contextLength().isPresent()
          && model.contextLength().getAsInt() < r.contextLengthNeeded(),
      !model.capabilities().containsAll(r.requiredCapabilities()),
      model.local()
          && memory.isPresent()
          && hardware.isPresent()
          && memory.getAsLong() > hardware.get().availableMemoryBytes()
    };
  }

  // ---------------------------------------------------------------- properties

  @Test
  void select_neverRanksAModelThatBreaksAHardRequirement() {
    qt(200)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              Selection selection =
                  SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

              for (ScoredCandidate candidate : selection.ranked()) {
                assertThat(broken(candidate.model(), scenario.requirements(), scenario.snapshot()))
                    .as("rules broken by ranked %s", candidate.model().key())
                    .doesNotContain(true);
              }
            });
  }

  @Test
  void select_dropsEveryOtherModelForTheFirstRuleItBreaks() {
    qt(200)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              Selection selection =
                  SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

              assertThat(selection.ranked().size() + selection.dropped().size())
                  .isEqualTo(scenario.catalog().size());
              for (DroppedModel drop : selection.dropped()) {
                boolean[] broken =
                    broken(drop.model(), scenario.requirements(), scenario.snapshot());
                assertThat(broken)
                    .as("rules broken by dropped %s (%s)", drop.model().key(), drop.rule())
                    .contains(true);
                int first = 0;
                while (!broken[first]) {
                  first++;
                }
                assertThat(drop.rule()).isEqualTo(DropRule.values()[first]);
                assertThat(SHARED.check(drop.model(), scenario.requirements(), scenario.snapshot()))
                    .contains(drop);
              }
            });
  }

  @Test
  void select_rankedByScoreThenCostThenKey() {
    qt(200)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              for (ModelSelector selector : List.of(SHARED, PRICE_BLIND)) {
                List<ScoredCandidate> ranked =
                    selector
                        .select(scenario.catalog(), scenario.requirements(), scenario.snapshot())
                        .ranked();

                for (int i = 1; i < ranked.size(); i++) {
                  ScoredCandidate before = ranked.get(i - 1);
                  ScoredCandidate after = ranked.get(i);
                  assertThat(before.score()).isGreaterThanOrEqualTo(after.score());
                  if (before.score() == after.score()) {
                    double beforeCost = before.model().effectiveCostPerToken();
                    double afterCost = after.model().effectiveCostPerToken();
                    assertThat(beforeCost).isLessThanOrEqualTo(afterCost);
                    if (beforeCost == afterCost) {
                      assertThat(before.model().key()).isLessThan(after.model().key());
                    }
                  }
                }
              }
            });
  }

  @Test
  void select_scoreIsTheSumOfItsTerms() {
    qt(200)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              for (ScoredCandidate candidate :
                  SHARED
                      .select(scenario.catalog(), scenario.requirements(), scenario.snapshot())
                      .ranked()) {
                double sum = 0;
                for (ScoreTerm term : candidate.terms()) {
                  sum += term.value();
                }
                assertThat(candidate.terms()).hasSize(9);
                assertThat(candidate.score()).isEqualTo(sum);
              }
            });
  }

  @Test
  void select_sameInputInAnyOrder_sameRanking() {
    qt(200)
        .forAll(scenarios(), longs().all())
        .checkAssert(
            (scenario, seed) -> {
              List<ModelInfo> shuffled = new ArrayList<>(scenario.catalog());
              java.util.Collections.shuffle(shuffled, new java.util.Random(seed));

              for (ModelSelector selector : List.of(SHARED, PRICE_BLIND)) {
                Selection original =
                    selector.select(
                        scenario.catalog(), scenario.requirements(), scenario.snapshot());
                Selection reordered =
                    new ModelSelector(selector.config())
                        .select(shuffled, scenario.requirements(), scenario.snapshot());

                assertThat(reordered.ranked()).isEqualTo(original.ranked());
                assertThat(new HashSet<>(reordered.dropped()))
                    .isEqualTo(new HashSet<>(original.dropped()));
              }
            });
  }

  @Test
  void select_rememberingSelectorAgreesWithAFreshOne() {
    qt(200)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              Selection remembered =
                  SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());
              Selection fresh =
                  new ModelSelector(SelectionConfig.defaults())
                      .select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

              assertThat(remembered).isEqualTo(fresh);
              assertThat(remembered.explain()).isEqualTo(fresh.explain());
            });
  }

  @Test
  void select_addingAModelBetterOnEveryTerm_neverLowersTheTopScore() {
    qt(200)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              Selection before =
                  SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());
              if (before.best().isEmpty()) {
                return;
              }
              ModelInfo top = before.best().get().model();
              // Same id and name (same affinity), type, capabilities, context and memory; a
              // provider of
              // its own, so that its key is new; best scores, no cost, free; the top model's
              // measurements.
              ModelInfo better =
                  ModelInfo.builder(
                          ProviderId.of("zz-" + top.providerId().value()),
                          top.providerType(),
                          top.id())
                      .name(top.name())
                      .contextLength(top.contextLength())
                      .capabilities(top.capabilities())
                      .estimatedMemoryBytes(top.estimatedMemoryBytes())
                      .performanceScore(10)
                      .therapeuticSafetyScore(10)
                      .free(true)
                      .build();
              List<ModelInfo> catalog = new ArrayList<>(scenario.catalog());
              catalog.add(better);
              Map<ModelKey, ModelStats> measurements =
                  new HashMap<>(scenario.snapshot().measurements());
              ModelStats topStats = measurements.get(top.key());
              if (topStats != null) {
                measurements.put(better.key(), topStats);
              }
              SelectionSnapshot snapshot =
                  new SelectionSnapshot(
                      measurements,
                      scenario.snapshot().hardware(),
                      scenario.snapshot().unavailable());

              Selection after = SHARED.select(catalog, scenario.requirements(), snapshot);

              double topScore = before.best().get().score();
              assertThat(after.best().get().score()).isGreaterThanOrEqualTo(topScore);
              assertThat(after.ranked())
                  .filteredOn(candidate -> candidate.model().equals(better))
                  .singleElement()
                  .satisfies(
                      candidate -> assertThat(candidate.score()).isGreaterThanOrEqualTo(topScore));
            });
  }

  @Test
  void explain_namesEveryModel() {
    qt(100)
        .forAll(scenarios())
        .checkAssert(
            scenario -> {
              Selection selection =
                  SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

              String text = selection.explain();

              for (ModelInfo model : scenario.catalog()) {
                assertThat(text).contains(model.key().toString());
              }
              for (DroppedModel drop : selection.dropped()) {
                assertThat(text)
                    .contains(drop.model().key() + " " + drop.rule() + ": " + drop.detail());
              }
            });
  }
}
