package dev.tta.models.selection;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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
      List<ModelInfo> catalog, ModelRequirements requirements, SelectionSnapshot snapshot) {}

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
  private static final List<String> CAPABILITIES =
      List.of("chat", "tools", "empathy", "storytelling", "long_form", "conversation");

  // ---------------------------------------------------------------- arbitraries

  private static Arbitrary<Traits> traits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, PROVIDERS.length - 1),
            Arbitraries.of(-1.0, 0.0, 2.5, 5.0, 6.5, 8.0, 10.0),
            Arbitraries.of(-1.0, 0.0, 6.9, 7.0, 8.5, 10.0),
            Arbitraries.of(0.0, 0.000001, 0.000015, 0.0001, 0.005, 0.02),
            Arbitraries.of(true, false),
            Arbitraries.of(CAPABILITIES).set().ofMaxSize(4),
            Arbitraries.of(2048, 4096, 8192, 32768),
            Arbitraries.of(-1L, 2 * GIB, 8 * GIB, 16 * GIB))
        .as(Traits::new);
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

  private static Arbitrary<List<ModelInfo>> catalogs() {
    return Combinators.combine(
            traits().list().ofMaxSize(25), Arbitraries.of(FAMILIES).list().ofSize(25))
        .as(
            (traits, families) -> {
              List<ModelInfo> catalog = new ArrayList<>();
              for (int i = 0; i < traits.size(); i++) {
                catalog.add(model(traits.get(i), families.get(i) + "-" + i));
              }
              return catalog;
            });
  }

  private static Arbitrary<ModelRequirements> requirements() {
    return Builders.withBuilder(() -> ModelRequirements.builder(TaskType.GENERAL_CHAT))
        .use(Arbitraries.of(TaskType.class))
        .in(ModelRequirements.Builder::taskType)
        .use(Arbitraries.of(500L, 2000L, 3000L, 4000L))
        .withProbability(0.4)
        .in(ModelRequirements.Builder::maxLatencyMs)
        .use(Arbitraries.of(0.0, 5.0, 6.5, 8.0))
        .withProbability(0.4)
        .in(ModelRequirements.Builder::minQualityScore)
        .use(Arbitraries.of(0.0, 0.00001, 0.0001, 0.01))
        .withProbability(0.4)
        .in(ModelRequirements.Builder::maxCostPerToken)
        .use(Arbitraries.of(CAPABILITIES).set().ofMaxSize(2))
        .withProbability(0.3)
        .in(ModelRequirements.Builder::requiredCapabilities)
        .use(Arbitraries.of(0, 4096, 8192, 16384))
        .in(ModelRequirements.Builder::contextLengthNeeded)
        .use(Arbitraries.of(true, false))
        .in(ModelRequirements.Builder::therapeuticSafetyRequired)
        .use(Arbitraries.of(true, false))
        .in(ModelRequirements.Builder::preferFree)
        .use(Arbitraries.of(true, false))
        .in(ModelRequirements.Builder::preferLocal)
        .build(ModelRequirements.Builder::build);
  }

  private static Arbitrary<ModelStats> stats() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 12),
            Arbitraries.integers().between(0, 12),
            Arbitraries.of(100.0, 800.0, 2500.0, 5000.0),
            Arbitraries.integers().between(0, 3),
            Arbitraries.of(50.0, 400.0, 1200.0),
            Arbitraries.of(2.0, 5.0, 9.0).optional())
        .as(
            (calls, successes, latency, firstTokens, firstToken, quality) -> {
              int succeeded = Math.min(calls, successes);
              return Fixtures.stats(
                  calls,
                  succeeded,
                  latency,
                  Math.min(succeeded, firstTokens),
                  firstToken,
                  quality.map(OptionalDouble::of).orElse(OptionalDouble.empty()));
            });
  }

  private static Arbitrary<SelectionSnapshot> snapshots(List<ModelInfo> catalog) {
    int size = catalog.size();
    return Combinators.combine(
            stats().injectNull(0.5).list().ofSize(size),
            Arbitraries.of("circuit open", "excluded after 3 failures")
                .injectNull(0.8)
                .list()
                .ofSize(size),
            Arbitraries.of(GIB, 8 * GIB, 32 * GIB).optional())
        .as(
            (stats, reasons, memory) -> {
              Map<ModelKey, ModelStats> measurements = new HashMap<>();
              Map<ModelKey, String> unavailable = new HashMap<>();
              for (int i = 0; i < size; i++) {
                if (stats.get(i) != null) {
                  measurements.put(catalog.get(i).key(), stats.get(i));
                }
                if (reasons.get(i) != null) {
                  unavailable.put(catalog.get(i).key(), reasons.get(i));
                }
              }
              return new SelectionSnapshot(
                  measurements, memory.map(Fixtures::hardware), unavailable);
            });
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return catalogs()
        .flatMap(
            catalog ->
                Combinators.combine(requirements(), snapshots(catalog))
                    .as((requirements, snapshot) -> new Scenario(catalog, requirements, snapshot)));
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

  @Property(tries = 200)
  void select_neverRanksAModelThatBreaksAHardRequirement(@ForAll("scenarios") Scenario scenario) {
    Selection selection =
        SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

    for (ScoredCandidate candidate : selection.ranked()) {
      assertThat(broken(candidate.model(), scenario.requirements(), scenario.snapshot()))
          .as("rules broken by ranked %s", candidate.model().key())
          .doesNotContain(true);
    }
  }

  @Property(tries = 200)
  void select_dropsEveryOtherModelForTheFirstRuleItBreaks(@ForAll("scenarios") Scenario scenario) {
    Selection selection =
        SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

    assertThat(selection.ranked().size() + selection.dropped().size())
        .isEqualTo(scenario.catalog().size());
    for (DroppedModel drop : selection.dropped()) {
      boolean[] broken = broken(drop.model(), scenario.requirements(), scenario.snapshot());
      int first = 0;
      while (!broken[first]) {
        first++;
      }
      assertThat(drop.rule()).isEqualTo(DropRule.values()[first]);
      assertThat(SHARED.check(drop.model(), scenario.requirements(), scenario.snapshot()))
          .contains(drop);
    }
  }

  @Property(tries = 200)
  void select_rankedByScoreThenCostThenKey(@ForAll("scenarios") Scenario scenario) {
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
  }

  @Property(tries = 200)
  void select_scoreIsTheSumOfItsTerms(@ForAll("scenarios") Scenario scenario) {
    for (ScoredCandidate candidate :
        SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot()).ranked()) {
      double sum = 0;
      for (ScoreTerm term : candidate.terms()) {
        sum += term.value();
      }
      assertThat(candidate.terms()).hasSize(9);
      assertThat(candidate.score()).isEqualTo(sum);
    }
  }

  @Property(tries = 200)
  void select_sameInputInAnyOrder_sameRanking(
      @ForAll("scenarios") Scenario scenario, @ForAll long seed) {
    List<ModelInfo> shuffled = new ArrayList<>(scenario.catalog());
    java.util.Collections.shuffle(shuffled, new java.util.Random(seed));

    for (ModelSelector selector : List.of(SHARED, PRICE_BLIND)) {
      Selection original =
          selector.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());
      Selection reordered =
          new ModelSelector(selector.config())
              .select(shuffled, scenario.requirements(), scenario.snapshot());

      assertThat(reordered.ranked()).isEqualTo(original.ranked());
      assertThat(new HashSet<>(reordered.dropped())).isEqualTo(new HashSet<>(original.dropped()));
    }
  }

  @Property(tries = 200)
  void select_rememberingSelectorAgreesWithAFreshOne(@ForAll("scenarios") Scenario scenario) {
    Selection remembered =
        SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());
    Selection fresh =
        new ModelSelector(SelectionConfig.defaults())
            .select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

    assertThat(remembered).isEqualTo(fresh);
    assertThat(remembered.explain()).isEqualTo(fresh.explain());
  }

  @Property(tries = 200)
  void select_addingAModelBetterOnEveryTerm_neverLowersTheTopScore(
      @ForAll("scenarios") Scenario scenario) {
    Selection before =
        SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());
    if (before.best().isEmpty()) {
      return;
    }
    ModelInfo top = before.best().get().model();
    // Same id and name (same affinity), type, capabilities, context and memory; a provider of
    // its own, so that its key is new; best scores, no cost, free; the top model's measurements.
    ModelInfo better =
        ModelInfo.builder(
                ProviderId.of("zz-" + top.providerId().value()), top.providerType(), top.id())
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
    Map<ModelKey, ModelStats> measurements = new HashMap<>(scenario.snapshot().measurements());
    ModelStats topStats = measurements.get(top.key());
    if (topStats != null) {
      measurements.put(better.key(), topStats);
    }
    SelectionSnapshot snapshot =
        new SelectionSnapshot(
            measurements, scenario.snapshot().hardware(), scenario.snapshot().unavailable());

    Selection after = SHARED.select(catalog, scenario.requirements(), snapshot);

    double topScore = before.best().get().score();
    assertThat(after.best().get().score()).isGreaterThanOrEqualTo(topScore);
    assertThat(after.ranked())
        .filteredOn(candidate -> candidate.model().equals(better))
        .singleElement()
        .satisfies(candidate -> assertThat(candidate.score()).isGreaterThanOrEqualTo(topScore));
  }

  @Property(tries = 100)
  void explain_namesEveryModel(@ForAll("scenarios") Scenario scenario) {
    Selection selection =
        SHARED.select(scenario.catalog(), scenario.requirements(), scenario.snapshot());

    String text = selection.explain();

    for (ModelInfo model : scenario.catalog()) {
      assertThat(text).contains(model.key().toString());
    }
    for (DroppedModel drop : selection.dropped()) {
      assertThat(text).contains(drop.model().key() + " " + drop.rule() + ": " + drop.detail());
    }
  }
}
