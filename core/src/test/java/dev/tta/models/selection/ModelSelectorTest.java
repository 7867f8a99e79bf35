package dev.tta.models.selection;

import static dev.tta.models.selection.Fixtures.GIB;
import static dev.tta.models.selection.Fixtures.hardware;
import static dev.tta.models.selection.Fixtures.local;
import static dev.tta.models.selection.Fixtures.measured;
import static dev.tta.models.selection.Fixtures.remote;
import static dev.tta.models.selection.Fixtures.stats;
import static dev.tta.models.selection.Fixtures.withHardware;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.monitoring.ModelStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ModelSelectorTest {

  private static final Offset<Double> EXACT = within(1e-9);

  private final ModelSelector selector = new ModelSelector(SelectionConfig.defaults());

  private static ModelRequirements task(TaskType task) {
    return ModelRequirements.forTask(task);
  }

  /** The only candidate of a selection of one model, which must pass every filter. */
  private ScoredCandidate only(
      ModelInfo model, ModelRequirements requirements, SelectionSnapshot snapshot) {
    Selection selection = selector.select(List.of(model), requirements, snapshot);
    assertThat(selection.dropped()).isEmpty();
    assertThat(selection.ranked()).hasSize(1);
    return selection.ranked().get(0);
  }

  private ScoredCandidate only(ModelInfo model, ModelRequirements requirements) {
    return only(model, requirements, SelectionSnapshot.empty());
  }

  private static void assertTerm(
      ScoredCandidate candidate, String name, double value, String derivation) {
    ScoreTerm term = candidate.term(name);
    assertThat(term.value()).as(name).isCloseTo(value, EXACT);
    assertThat(term.derivation()).as(name).isEqualTo(derivation);
  }

  /** The model's drop, asserting it is the only model and was dropped. */
  private DroppedModel dropped(
      ModelInfo model, ModelRequirements requirements, SelectionSnapshot snapshot) {
    Selection selection = selector.select(List.of(model), requirements, snapshot);
    assertThat(selection.ranked()).isEmpty();
    assertThat(selection.dropped()).hasSize(1);
    DroppedModel drop = selection.dropped().get(0);
    assertThat(selector.check(model, requirements, snapshot)).contains(drop);
    return drop;
  }

  private DroppedModel dropped(ModelInfo model, ModelRequirements requirements) {
    return dropped(model, requirements, SelectionSnapshot.empty());
  }

  private void assertPasses(
      ModelInfo model, ModelRequirements requirements, SelectionSnapshot snapshot) {
    Selection selection = selector.select(List.of(model), requirements, snapshot);
    assertThat(selection.dropped()).isEmpty();
    assertThat(selection.ranked()).extracting(ScoredCandidate::model).containsExactly(model);
    assertThat(selector.check(model, requirements, snapshot)).isEmpty();
  }

  private void assertPasses(ModelInfo model, ModelRequirements requirements) {
    assertPasses(model, requirements, SelectionSnapshot.empty());
  }

  @Nested
  class Terms {

    @Test
    void select_knownRemoteModel_everyTermFromItsScores() {
      ModelInfo claude =
          remote("anthropic/claude-3.5-sonnet")
              .performanceScore(8)
              .therapeuticSafetyScore(9)
              .costPerToken(0.000003, 0.000015)
              .capabilities("chat", "empathy", "therapeutic")
              .build();

      ScoredCandidate candidate = only(claude, task(TaskType.THERAPEUTIC_RESPONSE));

      // performance 8 x 0.3 = 2.4
      assertTerm(candidate, ScoreTerm.PERFORMANCE, 2.4, "8.0 x 0.3");
      // safety 9 x 0.4 = 3.6
      assertTerm(candidate, ScoreTerm.SAFETY, 3.6, "9.0 x 0.4");
      // effective cost max(0.000003, 0.000015) = 0.000015;
      // cost score 10 x (1 - 0.000015 / 0.01) = 10 x 0.9985 = 9.985; x 0.3 = 2.9955
      assertTerm(
          candidate,
          ScoreTerm.COST,
          2.9955,
          "cost score max(0, 10 x (1 - 0.000015 / 0.01)) = 9.985 x 0.3");
      // empathy and therapeutic are in {empathy, safety, therapeutic}: 2 x 0.5 = 1.0
      assertTerm(
          candidate,
          ScoreTerm.TASK,
          1.0,
          "2 of therapeutic_response's [empathy, safety, therapeutic] (empathy, therapeutic)"
              + " x 0.5");
      // "claude" is the first therapeutic_response affinity: +2.5
      assertTerm(candidate, ScoreTerm.AFFINITY, 2.5, "'claude' for therapeutic_response, +2.5");
      assertTerm(candidate, ScoreTerm.FREE, 0, "free models not preferred");
      assertTerm(candidate, ScoreTerm.LOCAL, 0, "local models not preferred");
      assertTerm(candidate, ScoreTerm.HARDWARE, 0, "remote model");
      assertTerm(candidate, ScoreTerm.HISTORY, 0, "no measurements");
      // 2.4 + 3.6 + 2.9955 + 1.0 + 2.5 = 12.4955
      assertThat(candidate.score()).isCloseTo(12.4955, EXACT);
    }

    @Test
    void select_termsAreInTheDocumentedOrder() {
      ScoredCandidate candidate = only(remote("m").build(), task(TaskType.GENERAL_CHAT));

      assertThat(candidate.terms())
          .extracting(ScoreTerm::name)
          .containsExactly(
              "performance",
              "safety",
              "cost",
              "task",
              "affinity",
              "free",
              "local",
              "hardware",
              "history");
    }

    @Test
    void select_unknownRemoteModel_defaultsSafetySeven() {
      ScoredCandidate candidate =
          only(remote("mistralai/mistral-7b").build(), task(TaskType.CHOICE_GENERATION));

      // performance unknown: 5 x 0.3 = 1.5
      assertTerm(candidate, ScoreTerm.PERFORMANCE, 1.5, "performance unknown, default 5.0 x 0.3");
      // remote safety unknown: 7 x 0.4 = 2.8
      assertTerm(candidate, ScoreTerm.SAFETY, 2.8, "safety unknown, remote default 7.0 x 0.4");
      // zero cost, not marked free: 10 x (1 - 0 / 0.01) = 10; x 0.3 = 3.0
      assertTerm(
          candidate, ScoreTerm.COST, 3.0, "cost score max(0, 10 x (1 - 0.0 / 0.01)) = 10.0 x 0.3");
      assertTerm(
          candidate,
          ScoreTerm.TASK,
          0,
          "0 of choice_generation's [branching, decision_making, options] x 0.5");
      assertTerm(candidate, ScoreTerm.AFFINITY, 0, "no choice_generation affinity matches");
      // 1.5 + 2.8 + 3.0 = 7.3
      assertThat(candidate.score()).isCloseTo(7.3, EXACT);
    }

    @Test
    void select_unknownLocalModel_defaultsSafetyFive() {
      ModelRequirements noSafety =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();

      ScoredCandidate candidate = only(local("llama3.2").capabilities("chat").build(), noSafety);

      // local safety unknown: 5 x 0.4 = 2.0
      assertTerm(candidate, ScoreTerm.SAFETY, 2.0, "safety unknown, local default 5.0 x 0.4");
      // chat is in {chat, conversation, general}: 1 x 0.5 = 0.5
      assertTerm(
          candidate,
          ScoreTerm.TASK,
          0.5,
          "1 of general_chat's [chat, conversation, general] (chat) x 0.5");
      assertTerm(candidate, ScoreTerm.HARDWARE, 0, "memory need unknown");
      // 1.5 + 2.0 + 3.0 + 0.5 = 7.0
      assertThat(candidate.score()).isCloseTo(7.0, EXACT);
    }

    @Test
    void select_freeModelPreferred_addsFreeBonusAndFullCostScore() {
      ModelInfo free =
          remote("meta-llama/llama-3.1-8b-instruct:free")
              .free(true)
              .performanceScore(6)
              .therapeuticSafetyScore(8)
              .capabilities("chat", "long_form", "storytelling")
              .build();
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.NARRATIVE_GENERATION).preferFree(true).build();

      ScoredCandidate candidate = only(free, requirements);

      // 6 x 0.3 = 1.8; 8 x 0.4 = 3.2
      assertTerm(candidate, ScoreTerm.PERFORMANCE, 1.8, "6.0 x 0.3");
      assertTerm(candidate, ScoreTerm.SAFETY, 3.2, "8.0 x 0.4");
      // free: cost score 10 x 0.3 = 3.0
      assertTerm(candidate, ScoreTerm.COST, 3.0, "free, cost score 10.0 x 0.3");
      // long_form and storytelling of {creative_writing, long_form, storytelling}: 2 x 0.5
      assertTerm(
          candidate,
          ScoreTerm.TASK,
          1.0,
          "2 of narrative_generation's [creative_writing, long_form, storytelling]"
              + " (long_form, storytelling) x 0.5");
      // no "claude"; "llama-3.1" is the next narrative_generation affinity: +1.5
      assertTerm(candidate, ScoreTerm.AFFINITY, 1.5, "'llama-3.1' for narrative_generation, +1.5");
      assertTerm(candidate, ScoreTerm.FREE, 1.0, "free and preferred, +1.0");
      // 1.8 + 3.2 + 3.0 + 1.0 + 1.5 + 1.0 = 11.5
      assertThat(candidate.score()).isCloseTo(11.5, EXACT);
    }

    @Test
    void select_freePreferredButModelNotFree_noBonus() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).preferFree(true).build();

      ScoredCandidate candidate = only(remote("m").build(), requirements);

      assertTerm(candidate, ScoreTerm.FREE, 0, "not free");
    }

    @Test
    void select_freeModelNotPreferred_noBonus() {
      ScoredCandidate candidate = only(remote("m").free(true).build(), task(TaskType.GENERAL_CHAT));

      assertTerm(candidate, ScoreTerm.FREE, 0, "free models not preferred");
    }

    @Test
    void select_localModelPreferred_addsLocalBonus() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT)
              .preferLocal(true)
              .therapeuticSafetyRequired(false)
              .build();

      ScoredCandidate candidate = only(local("llama3.2").build(), requirements);

      assertTerm(candidate, ScoreTerm.LOCAL, 1.0, "local and preferred, +1.0");
      // 1.5 + 2.0 + 3.0 + 1.0 = 7.5
      assertThat(candidate.score()).isCloseTo(7.5, EXACT);
    }

    @Test
    void select_localPreferredButModelRemote_noBonus() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).preferLocal(true).build();

      ScoredCandidate candidate = only(remote("m").build(), requirements);

      assertTerm(candidate, ScoreTerm.LOCAL, 0, "not local");
    }

    @Test
    void select_localModelNotPreferred_noBonus() {
      ModelRequirements noSafety =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();

      ScoredCandidate candidate = only(local("m").build(), noSafety);

      assertTerm(candidate, ScoreTerm.LOCAL, 0, "local models not preferred");
    }

    @Test
    void select_costHalfwayToZeroPoint_costScoreFive() {
      ScoredCandidate candidate =
          only(remote("m").costPerToken(0.005, 0.001).build(), task(TaskType.GENERAL_CHAT));

      // effective 0.005: 10 x (1 - 0.005 / 0.01) = 5; x 0.3 = 1.5
      assertTerm(
          candidate, ScoreTerm.COST, 1.5, "cost score max(0, 10 x (1 - 0.005 / 0.01)) = 5.0 x 0.3");
    }

    @Test
    void select_costExactlyAtZeroPoint_costScoreZero() {
      ScoredCandidate candidate =
          only(remote("m").costPerToken(0.01, 0.01).build(), task(TaskType.GENERAL_CHAT));

      // 10 x (1 - 0.01 / 0.01) = 0
      assertTerm(
          candidate, ScoreTerm.COST, 0, "cost score max(0, 10 x (1 - 0.01 / 0.01)) = 0.0 x 0.3");
    }

    @Test
    void select_costBeyondZeroPoint_costScoreNotNegative() {
      ScoredCandidate candidate =
          only(remote("m").costPerToken(0.02, 0.02).build(), task(TaskType.GENERAL_CHAT));

      // 10 x (1 - 0.02 / 0.01) = -10, raised to 0
      assertTerm(
          candidate, ScoreTerm.COST, 0, "cost score max(0, 10 x (1 - 0.02 / 0.01)) = 0.0 x 0.3");
      // 1.5 + 2.8 + 0 = 4.3
      assertThat(candidate.score()).isCloseTo(4.3, EXACT);
    }

    @Test
    void select_affinity_firstMatchInConfigurationOrderOnly() {
      // matches "claude" (2.0) and "llama-3.1" (1.5): only the first applies
      ScoredCandidate candidate =
          only(remote("claude-llama-3.1-merge").build(), task(TaskType.NARRATIVE_GENERATION));

      assertTerm(candidate, ScoreTerm.AFFINITY, 2.0, "'claude' for narrative_generation, +2.0");
    }

    @Test
    void select_affinity_matchesTheNameIgnoringCase() {
      ScoredCandidate candidate =
          only(
              remote("vendor/x-72b").name("Qwen2.5 72B Instruct").build(),
              task(TaskType.DIALOGUE_GENERATION));

      assertTerm(candidate, ScoreTerm.AFFINITY, 1.0, "'qwen2.5' for dialogue_generation, +1.0");
    }

    @Test
    void select_affinity_matchesTheIdIgnoringCase() {
      ScoredCandidate candidate =
          only(remote("openai/GPT-4o").build(), task(TaskType.THERAPEUTIC_RESPONSE));

      assertTerm(candidate, ScoreTerm.AFFINITY, 2.0, "'gpt-4' for therapeutic_response, +2.0");
    }

    @Test
    void select_affinity_onlyTheRequestedTasks() {
      // "gpt-4" has an affinity for therapeutic_response only
      ScoredCandidate candidate =
          only(remote("openai/gpt-4o").build(), task(TaskType.NARRATIVE_GENERATION));

      assertTerm(candidate, ScoreTerm.AFFINITY, 0, "no narrative_generation affinity matches");
    }

    @Test
    void select_configuredNegativeAffinity_lowersTheScore() {
      SelectionConfig config =
          SelectionConfig.builder()
              .taskAffinities(List.of(new TaskAffinity(TaskType.GENERAL_CHAT, "Mistral", -0.5)))
              .build();

      Selection selection =
          new ModelSelector(config)
              .select(
                  List.of(remote("mistralai/mistral-7b").build()),
                  task(TaskType.GENERAL_CHAT),
                  SelectionSnapshot.empty());

      ScoredCandidate candidate = selection.ranked().get(0);
      assertTerm(candidate, ScoreTerm.AFFINITY, -0.5, "'Mistral' for general_chat, +-0.5");
      // 1.5 + 2.8 + 3.0 - 0.5 = 6.8
      assertThat(candidate.score()).isCloseTo(6.8, EXACT);
    }

    @Test
    void select_configuredTaskCapabilities_replaceTheOriginals() {
      SelectionConfig config =
          SelectionConfig.builder()
              .taskCapabilities(TaskType.GENERAL_CHAT, List.of("Tools", "chat"))
              .taskCapabilityBonus(0.25)
              .build();

      Selection selection =
          new ModelSelector(config)
              .select(
                  List.of(remote("m").capabilities("tools", "chat", "general").build()),
                  task(TaskType.GENERAL_CHAT),
                  SelectionSnapshot.empty());

      // tools and chat of {chat, tools} (general is no longer listed): 2 x 0.25 = 0.5
      assertTerm(
          selection.ranked().get(0),
          ScoreTerm.TASK,
          0.5,
          "2 of general_chat's [chat, tools] (chat, tools) x 0.25");
    }
  }

  @Nested
  class HardwareTerm {

    private final ModelRequirements noSafety =
        ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();

    @Test
    void select_availableExactlyHeadroomTimesNeed_headroomBonus() {
      ModelInfo model = local("m").estimatedMemoryBytes(4 * GIB).build();

      // 6 GiB >= 4 GiB x 1.5 = 6 GiB: +1.0
      ScoredCandidate candidate = only(model, noSafety, withHardware(hardware(6 * GIB)));

      assertTerm(
          candidate,
          ScoreTerm.HARDWARE,
          1.0,
          "needs 4.0 GiB (4294967296 bytes) of 6.0 GiB (6442450944 bytes) available,"
              + " headroom (at least 1.5 x need), +1.0");
      // 1.5 + 2.0 + 3.0 + 1.0 = 7.5
      assertThat(candidate.score()).isCloseTo(7.5, EXACT);
    }

    @Test
    void select_availableJustBelowHeadroom_fitBonus() {
      ModelInfo model = local("m").estimatedMemoryBytes(4 * GIB).build();

      // 6 GiB - 1 byte < 6 GiB, but >= 4 GiB: +0.5
      ScoredCandidate candidate = only(model, noSafety, withHardware(hardware(6 * GIB - 1)));

      assertTerm(
          candidate,
          ScoreTerm.HARDWARE,
          0.5,
          "needs 4.0 GiB (4294967296 bytes) of 6.0 GiB (6442450943 bytes) available,"
              + " fits without headroom, +0.5");
    }

    @Test
    void select_availableExactlyTheNeed_fitBonus() {
      ModelInfo model = local("m").estimatedMemoryBytes(4 * GIB).build();

      ScoredCandidate candidate = only(model, noSafety, withHardware(hardware(4 * GIB)));

      assertThat(candidate.term(ScoreTerm.HARDWARE).value()).isEqualTo(0.5);
    }

    @Test
    void select_hardwareUnknown_noBonus() {
      ScoredCandidate candidate = only(local("m").estimatedMemoryBytes(GIB).build(), noSafety);

      assertTerm(candidate, ScoreTerm.HARDWARE, 0, "hardware unknown");
    }

    @Test
    void select_localModelWithoutMemoryNeed_noBonus() {
      ScoredCandidate candidate =
          only(local("m").build(), noSafety, withHardware(hardware(64 * GIB)));

      assertTerm(candidate, ScoreTerm.HARDWARE, 0, "memory need unknown");
    }

    @Test
    void select_remoteModelWithMemoryEstimate_noBonus() {
      ScoredCandidate candidate =
          only(
              remote("m").estimatedMemoryBytes(GIB).build(),
              noSafety,
              withHardware(hardware(64 * GIB)));

      assertTerm(candidate, ScoreTerm.HARDWARE, 0, "remote model");
    }

    @Test
    void select_configuredHardwareBonuses_used() {
      SelectionConfig config =
          SelectionConfig.builder()
              .hardwareHeadroomFactor(2)
              .hardwareHeadroomBonus(0.75)
              .hardwareFitBonus(0.25)
              .build();
      ModelSelector custom = new ModelSelector(config);
      List<ModelInfo> catalog = List.of(local("m").estimatedMemoryBytes(4 * GIB).build());

      // 8 GiB >= 4 GiB x 2: +0.75; 7 GiB < 8 GiB: +0.25
      ScoredCandidate roomy =
          custom.select(catalog, noSafety, withHardware(hardware(8 * GIB))).ranked().get(0);
      ScoredCandidate tight =
          custom.select(catalog, noSafety, withHardware(hardware(7 * GIB))).ranked().get(0);

      assertThat(roomy.term(ScoreTerm.HARDWARE).value()).isEqualTo(0.75);
      assertThat(roomy.term(ScoreTerm.HARDWARE).derivation())
          .endsWith("headroom (at least 2.0 x need), +0.75");
      assertThat(tight.term(ScoreTerm.HARDWARE).value()).isEqualTo(0.25);
      assertThat(tight.term(ScoreTerm.HARDWARE).derivation())
          .endsWith("fits without headroom, +0.25");
    }
  }

  @Nested
  class HistoryTerm {

    private final ModelInfo model = remote("m").build();
    private final ModelRequirements requirements = task(TaskType.GENERAL_CHAT);

    private ScoredCandidate withStats(ModelStats stats) {
      return only(model, requirements, measured(model, stats));
    }

    @Test
    void select_goodHistory_everyPartPositive() {
      ScoredCandidate candidate = withStats(stats(10, 10, 800, 4, 250, OptionalDouble.of(8)));

      // success (1.0 - 0.9) / (1 - 0.9) = 1.0 x 1.0 = 1.0
      // latency 1 - 800 / 2000 = 0.6 x 0.5 = 0.3
      // first token 1 - 250 / 500 = 0.5 x 0.25 = 0.125
      // quality (8 - 5) / 5 = 0.6 x 1.0 = 0.6
      // history 1.0 + 0.3 + 0.125 + 0.6 = 2.025
      assertTerm(
          candidate,
          ScoreTerm.HISTORY,
          2.025,
          "10 calls: success rate 1.0 vs 0.9 -> 1.0 x 1.0;"
              + " latency p50 800.0 ms vs 2000.0 -> 0.6 x 0.5;"
              + " first token p50 250.0 ms vs 500.0 -> 0.5 x 0.25;"
              + " quality 8.0 -> 0.6 x 1.0");
      // 1.5 + 2.8 + 3.0 + 2.025 = 9.325
      assertThat(candidate.score()).isCloseTo(9.325, EXACT);
    }

    @Test
    void select_badHistory_everyPartFloorsAtMinusOne() {
      ScoredCandidate candidate = withStats(stats(10, 7, 5000, 7, 1000, OptionalDouble.of(0)));

      // success (0.7 - 0.9) / 0.1 = -2, floored to -1 x 1.0 = -1.0
      // latency 1 - 5000 / 2000 = -1.5, floored to -1 x 0.5 = -0.5
      // first token 1 - 1000 / 500 = -1 x 0.25 = -0.25
      // quality (0 - 5) / 5 = -1 x 1.0 = -1.0
      // history -1.0 - 0.5 - 0.25 - 1.0 = -2.75
      assertTerm(
          candidate,
          ScoreTerm.HISTORY,
          -2.75,
          "10 calls: success rate 0.7 vs 0.9 -> -1.0 x 1.0;"
              + " latency p50 5000.0 ms vs 2000.0 -> -1.0 x 0.5;"
              + " first token p50 1000.0 ms vs 500.0 -> -1.0 x 0.25;"
              + " quality 0.0 -> -1.0 x 1.0");
    }

    @Test
    void select_middlingHistory_partsBetweenTheBounds() {
      ScoredCandidate candidate = withStats(stats(20, 19, 3000, 19, 400, OptionalDouble.of(4)));

      // success (0.95 - 0.9) / 0.1 = 0.5 x 1.0 = 0.5
      // latency 1 - 3000 / 2000 = -0.5 x 0.5 = -0.25
      // first token 1 - 400 / 500 = 0.2 x 0.25 = 0.05
      // quality (4 - 5) / 5 = -0.2 x 1.0 = -0.2
      // history 0.5 - 0.25 + 0.05 - 0.2 = 0.1
      assertThat(candidate.term(ScoreTerm.HISTORY).value()).isCloseTo(0.1, EXACT);
    }

    @Test
    void select_exactlyMinSamples_historyUsed() {
      // 5 calls, all fine, 1000 ms: success 1.0 x 1.0 + latency (1 - 1000 / 2000) 0.5 x 0.5
      ScoredCandidate candidate = withStats(stats(5, 5, 1000));

      assertTerm(
          candidate,
          ScoreTerm.HISTORY,
          1.25,
          "5 calls: success rate 1.0 vs 0.9 -> 1.0 x 1.0;"
              + " latency p50 1000.0 ms vs 2000.0 -> 0.5 x 0.5;"
              + " no time to first token measured; no quality supplied");
    }

    @Test
    void select_oneCallFewerThanMinSamples_noHistory() {
      ScoredCandidate candidate = withStats(stats(4, 4, 1000));

      assertTerm(candidate, ScoreTerm.HISTORY, 0, "4 calls, fewer than the 5 needed");
    }

    @Test
    void select_onlyFailures_successPartAlone() {
      // success 0 / 6 = 0: (0 - 0.9) / 0.1 = -9, floored to -1; no latency without successes
      ScoredCandidate candidate = withStats(stats(6, 0, 0));

      assertTerm(
          candidate,
          ScoreTerm.HISTORY,
          -1.0,
          "6 calls: success rate 0.0 vs 0.9 -> -1.0 x 1.0; no latency measured;"
              + " no time to first token measured; no quality supplied");
    }

    @Test
    void select_qualityOutsideTheScale_partStaysBounded() {
      // quality means are not validated; 12 gives (12 - 5) / 5 = 1.4, capped at 1
      ScoredCandidate high = withStats(stats(5, 5, 2000, 0, 0, OptionalDouble.of(12)));
      // -5 gives (-5 - 5) / 5 = -2, floored at -1
      ScoredCandidate low = withStats(stats(5, 5, 2000, 0, 0, OptionalDouble.of(-5)));

      // success 1.0 + latency (1 - 2000 / 2000) 0 + quality +-1
      assertThat(high.term(ScoreTerm.HISTORY).value()).isCloseTo(2.0, EXACT);
      assertThat(low.term(ScoreTerm.HISTORY).value()).isCloseTo(0.0, EXACT);
    }

    @Test
    void select_configuredHistoryWeightsAndTargets_used() {
      SelectionConfig config =
          SelectionConfig.builder()
              .historyMinSamples(2)
              .historySuccessBaseline(0.5)
              .historySuccessWeight(2)
              .historyLatencyTargetMs(1000)
              .historyLatencyWeight(1)
              .historyTimeToFirstTokenTargetMs(200)
              .historyTimeToFirstTokenWeight(1)
              .historyQualityWeight(0.5)
              .build();

      Selection selection =
          new ModelSelector(config)
              .select(
                  List.of(model),
                  requirements,
                  measured(model, stats(4, 3, 500, 3, 100, OptionalDouble.of(10))));

      // success (0.75 - 0.5) / 0.5 = 0.5 x 2 = 1.0; latency 1 - 500 / 1000 = 0.5 x 1 = 0.5;
      // first token 1 - 100 / 200 = 0.5 x 1 = 0.5; quality (10 - 5) / 5 = 1 x 0.5 = 0.5
      // history 1.0 + 0.5 + 0.5 + 0.5 = 2.5
      assertThat(selection.ranked().get(0).term(ScoreTerm.HISTORY).value()).isCloseTo(2.5, EXACT);
    }

    @Test
    void select_measurementsOfAnotherModel_noHistory() {
      ModelInfo other = remote("other").build();

      ScoredCandidate candidate = only(model, requirements, measured(other, stats(9, 9, 100)));

      assertTerm(candidate, ScoreTerm.HISTORY, 0, "no measurements");
    }
  }

  @Nested
  class Filters {

    @Test
    void select_unavailableModel_droppedWithTheGivenReason() {
      ModelInfo model = remote("m").build();
      SelectionSnapshot snapshot =
          new SelectionSnapshot(
              Map.of(), Optional.empty(), Map.of(model.key(), "circuit open until 10:05"));

      DroppedModel drop = dropped(model, task(TaskType.GENERAL_CHAT), snapshot);

      assertThat(drop.rule()).isEqualTo(DropRule.UNAVAILABLE);
      assertThat(drop.detail()).isEqualTo("circuit open until 10:05");
      assertThat(drop.model()).isSameAs(model);
    }

    @Test
    void select_latencyAtRemoteDefault_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(2000).build();

      assertPasses(remote("m").build(), requirements);
    }

    @Test
    void select_latencyJustBelowRemoteDefault_dropped() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(1999).build();

      DroppedModel drop = dropped(remote("m").build(), requirements);

      assertThat(drop.rule()).isEqualTo(DropRule.LATENCY);
      assertThat(drop.detail())
          .isEqualTo(
              "estimated latency 2000.0 ms > max 1999.0 ms (no measurements, remote default)");
    }

    @Test
    void select_latencyAtLocalDefault_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT)
              .maxLatencyMs(4000)
              .therapeuticSafetyRequired(false)
              .build();

      assertPasses(local("m").build(), requirements);
    }

    @Test
    void select_latencyJustBelowLocalDefault_dropped() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(3999).build();

      DroppedModel drop = dropped(local("m").build(), requirements);

      assertThat(drop.detail())
          .isEqualTo(
              "estimated latency 4000.0 ms > max 3999.0 ms (no measurements, local default)");
    }

    @Test
    void select_enoughSuccessfulCalls_measuredLatencyReplacesDefault() {
      ModelInfo model = remote("m").build();
      // 5 successes of 8 calls, p50 2500 ms: measured, above the remote default 2000
      SelectionSnapshot snapshot = measured(model, stats(8, 5, 2500));
      ModelRequirements atMeasured =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(2500).build();
      ModelRequirements belowMeasured =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(2499).build();

      assertPasses(model, atMeasured, snapshot);
      DroppedModel drop = dropped(model, belowMeasured, snapshot);
      assertThat(drop.detail())
          .isEqualTo(
              "estimated latency 2500.0 ms > max 2499.0 ms (measured p50 over 5 successful calls)");
    }

    @Test
    void select_tooFewSuccessfulCalls_defaultLatencyUsed() {
      ModelInfo model = remote("m").build();
      // 4 successes of 9 calls: too few, the remote default 2000 ms applies
      SelectionSnapshot snapshot = measured(model, stats(9, 4, 100));
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(1000).build();

      DroppedModel drop = dropped(model, requirements, snapshot);

      assertThat(drop.detail())
          .isEqualTo(
              "estimated latency 2000.0 ms > max 1000.0 ms"
                  + " (4 successful calls, too few, remote default)");
    }

    @Test
    void select_configuredLatencyDefaults_used() {
      SelectionConfig config =
          SelectionConfig.builder().defaultRemoteLatencyMs(500).defaultLocalLatencyMs(900).build();
      ModelSelector custom = new ModelSelector(config);
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT)
              .maxLatencyMs(600)
              .therapeuticSafetyRequired(false)
              .build();

      Selection selection =
          custom.select(
              List.of(remote("r").build(), local("l").build()),
              requirements,
              SelectionSnapshot.empty());

      // remote 500 <= 600 passes; local 900 > 600 dropped
      assertThat(selection.ranked()).extracting(c -> c.model().id()).containsExactly("r");
      assertThat(selection.dropped())
          .extracting(DroppedModel::rule)
          .containsExactly(DropRule.LATENCY);
    }

    @Test
    void select_costExactlyAtMax_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0.0001).build();

      assertPasses(remote("m").costPerToken(0.00005, 0.0001).build(), requirements);
    }

    @Test
    void select_costJustAboveMax_droppedWithEffectiveCost() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0.0001).build();

      // effective cost is the higher of the two prices: 0.0002
      DroppedModel drop = dropped(remote("m").costPerToken(0.0002, 0.00005).build(), requirements);

      assertThat(drop.rule()).isEqualTo(DropRule.COST);
      assertThat(drop.detail()).isEqualTo("effective cost 0.0002 > max 0.0001");
    }

    @Test
    void select_freeModelUnderZeroCeiling_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0).build();

      assertPasses(remote("m").free(true).build(), requirements);
    }

    @Test
    void select_paidModelUnderZeroCeiling_dropped() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0).build();

      DroppedModel drop = dropped(remote("m").costPerToken(0.000001, 0).build(), requirements);

      assertThat(drop.detail()).isEqualTo("effective cost 0.000001 > max 0.0");
    }

    @Test
    void select_performanceExactlyAtMinQuality_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).minQualityScore(6).build();

      assertPasses(remote("m").performanceScore(6).build(), requirements);
    }

    @Test
    void select_performanceJustBelowMinQuality_dropped() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).minQualityScore(6.1).build();

      DroppedModel drop = dropped(remote("m").performanceScore(6).build(), requirements);

      assertThat(drop.rule()).isEqualTo(DropRule.QUALITY);
      assertThat(drop.detail()).isEqualTo("performance 6.0 < min 6.1");
    }

    @Test
    void select_unknownPerformanceAtMinQualityOfDefault_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).minQualityScore(5).build();

      assertPasses(remote("m").build(), requirements);
    }

    @Test
    void select_unknownPerformanceBelowMinQuality_droppedNamingTheDefault() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).minQualityScore(5.5).build();

      DroppedModel drop = dropped(remote("m").build(), requirements);

      assertThat(drop.detail()).isEqualTo("performance unknown, default 5.0 < min 5.5");
    }

    @Test
    void select_safetyExactlyAtMinimum_passes() {
      assertPasses(remote("m").therapeuticSafetyScore(7).build(), task(TaskType.GENERAL_CHAT));
    }

    @Test
    void select_safetyJustBelowMinimum_dropped() {
      DroppedModel drop =
          dropped(remote("m").therapeuticSafetyScore(6.9).build(), task(TaskType.GENERAL_CHAT));

      assertThat(drop.rule()).isEqualTo(DropRule.SAFETY);
      assertThat(drop.detail()).isEqualTo("therapeutic safety 6.9 < min 7.0");
    }

    @Test
    void select_knownLowSafetyOnLocalModel_droppedWithTheScore() {
      DroppedModel drop =
          dropped(local("m").therapeuticSafetyScore(3).build(), task(TaskType.GENERAL_CHAT));

      assertThat(drop.detail()).isEqualTo("therapeutic safety 3.0 < min 7.0");
    }

    @Test
    void select_knownHighSafetyOnLocalModel_passes() {
      assertPasses(local("m").therapeuticSafetyScore(8).build(), task(TaskType.GENERAL_CHAT));
    }

    @Test
    void select_unknownSafetyOnRemoteModel_passes() {
      assertPasses(remote("m").build(), task(TaskType.THERAPEUTIC_RESPONSE));
    }

    @Test
    void select_unknownSafetyOnLocalModel_dropped() {
      DroppedModel drop = dropped(local("m").build(), task(TaskType.THERAPEUTIC_RESPONSE));

      assertThat(drop.rule()).isEqualTo(DropRule.SAFETY);
      assertThat(drop.detail())
          .isEqualTo(
              "therapeutic safety unknown on a local provider (ollama);"
                  + " unknown safety is accepted only from remote providers");
    }

    @Test
    void select_safetyNotRequired_lowAndUnknownSafetyPass() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();

      assertPasses(local("m").build(), requirements);
      assertPasses(remote("m").therapeuticSafetyScore(0).build(), requirements);
    }

    @Test
    void select_configuredSafetyMinimum_used() {
      ModelSelector custom =
          new ModelSelector(SelectionConfig.builder().minTherapeuticSafetyScore(8).build());
      ModelInfo model = remote("m").therapeuticSafetyScore(7.5).build();

      Optional<DroppedModel> drop =
          custom.check(model, task(TaskType.GENERAL_CHAT), SelectionSnapshot.empty());

      assertThat(drop).map(DroppedModel::detail).contains("therapeutic safety 7.5 < min 8.0");
    }

    @Test
    void select_contextExactlyAsNeeded_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).contextLengthNeeded(8192).build();

      assertPasses(remote("m").contextLength(8192).build(), requirements);
    }

    @Test
    void select_contextOneTokenShort_dropped() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).contextLengthNeeded(8193).build();

      DroppedModel drop = dropped(remote("m").contextLength(8192).build(), requirements);

      assertThat(drop.rule()).isEqualTo(DropRule.CONTEXT);
      assertThat(drop.detail()).isEqualTo("context length 8192 < needed 8193 tokens");
    }

    @Test
    void select_allRequiredCapabilities_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT)
              .requiredCapabilities("chat", "tools")
              .build();

      assertPasses(remote("m").capabilities("chat", "tools", "vision").build(), requirements);
    }

    @Test
    void select_missingCapabilities_droppedListingThem() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT)
              .requiredCapabilities("vision", "chat", "tools")
              .build();

      DroppedModel drop = dropped(remote("m").capabilities("chat").build(), requirements);

      assertThat(drop.rule()).isEqualTo(DropRule.CAPABILITIES);
      assertThat(drop.detail()).isEqualTo("missing tools, vision");
    }

    @Test
    void select_localModelNeedingExactlyTheAvailableMemory_passes() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();

      assertPasses(
          local("m").estimatedMemoryBytes(8 * GIB).build(),
          requirements,
          withHardware(hardware(8 * GIB)));
    }

    @Test
    void select_localModelNeedingOneByteMore_dropped() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();

      DroppedModel drop =
          dropped(
              local("m").estimatedMemoryBytes(8 * GIB + 1).build(),
              requirements,
              withHardware(hardware(8 * GIB)));

      assertThat(drop.rule()).isEqualTo(DropRule.HARDWARE);
      assertThat(drop.detail())
          .isEqualTo("needs 8.0 GiB (8589934593 bytes) > available 8.0 GiB (8589934592 bytes)");
    }

    @Test
    void select_memoryOrHardwareUnknownOrRemote_neverDroppedForHardware() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).therapeuticSafetyRequired(false).build();
      SelectionSnapshot small = withHardware(hardware(GIB));

      assertPasses(local("m").estimatedMemoryBytes(64 * GIB).build(), requirements);
      assertPasses(local("m").build(), requirements, small);
      assertPasses(remote("m").estimatedMemoryBytes(64 * GIB).build(), requirements, small);
    }

    @Test
    void select_severalRulesBroken_reportsTheFirstInOrder() {
      ModelInfo bad =
          local("m")
              .costPerToken(1, 1)
              .performanceScore(1)
              .contextLength(1024)
              .estimatedMemoryBytes(64 * GIB)
              .build();
      ModelRequirements everything =
          ModelRequirements.builder(TaskType.GENERAL_CHAT)
              .maxLatencyMs(100)
              .maxCostPerToken(0.001)
              .minQualityScore(5)
              .contextLengthNeeded(2048)
              .requiredCapabilities("tools")
              .build();
      ModelKey key = bad.key();
      SelectionSnapshot unavailable =
          new SelectionSnapshot(
              Map.of(), Optional.of(hardware(GIB)), Map.of(key, "excluded for 30 minutes"));
      SelectionSnapshot available = withHardware(hardware(GIB));

      assertThat(rule(bad, everything, unavailable)).isEqualTo(DropRule.UNAVAILABLE);
      assertThat(rule(bad, everything, available)).isEqualTo(DropRule.LATENCY);
      ModelRequirements.Builder relaxed = everything.toBuilder().maxLatencyMs(10_000);
      assertThat(rule(bad, relaxed.build(), available)).isEqualTo(DropRule.COST);
      relaxed.maxCostPerToken(1);
      assertThat(rule(bad, relaxed.build(), available)).isEqualTo(DropRule.QUALITY);
      relaxed.minQualityScore(0);
      assertThat(rule(bad, relaxed.build(), available)).isEqualTo(DropRule.SAFETY);
      relaxed.therapeuticSafetyRequired(false);
      assertThat(rule(bad, relaxed.build(), available)).isEqualTo(DropRule.CONTEXT);
      relaxed.contextLengthNeeded(0);
      assertThat(rule(bad, relaxed.build(), available)).isEqualTo(DropRule.CAPABILITIES);
      relaxed.requiredCapabilities(List.of());
      assertThat(rule(bad, relaxed.build(), available)).isEqualTo(DropRule.HARDWARE);
    }

    private DropRule rule(
        ModelInfo model, ModelRequirements requirements, SelectionSnapshot snapshot) {
      return dropped(model, requirements, snapshot).rule();
    }

    @Test
    void select_droppedModels_keepCatalogOrder() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0.001).build();
      List<ModelInfo> catalog =
          List.of(
              remote("z").costPerToken(0.01, 0).build(),
              remote("ok").build(),
              remote("a").costPerToken(0.02, 0).build());

      Selection selection = selector.select(catalog, requirements, SelectionSnapshot.empty());

      assertThat(selection.dropped()).extracting(d -> d.model().id()).containsExactly("z", "a");
      assertThat(selection.dropped())
          .extracting(DroppedModel::detail)
          .containsExactly("effective cost 0.01 > max 0.001", "effective cost 0.02 > max 0.001");
    }

    @Test
    void check_passingModel_empty() {
      assertThat(
              selector.check(
                  remote("m").build(), task(TaskType.GENERAL_CHAT), SelectionSnapshot.empty()))
          .isEmpty();
    }
  }

  @Nested
  class Ranking {

    /** Cost weight 0, so that models differing only in price score the same. */
    private final ModelSelector priceBlind =
        new ModelSelector(SelectionConfig.builder().costWeight(0).build());

    private List<String> rankedKeys(ModelSelector selector, List<ModelInfo> catalog) {
      return selector
          .select(catalog, task(TaskType.GENERAL_CHAT), SelectionSnapshot.empty())
          .ranked()
          .stream()
          .map(c -> c.model().key().toString())
          .toList();
    }

    @Test
    void select_higherScoreFirst() {
      List<ModelInfo> catalog =
          List.of(
              remote("low").performanceScore(2).build(),
              remote("high").performanceScore(9).build(),
              remote("mid").performanceScore(5).build());

      // performance terms 0.6, 2.7, 1.5 on the same other terms
      assertThat(rankedKeys(selector, catalog))
          .containsExactly("openrouter/high", "openrouter/mid", "openrouter/low");
    }

    @Test
    void select_equalScores_cheaperFirst() {
      List<ModelInfo> catalog =
          List.of(
              remote("a-dear").costPerToken(0.002, 0).build(),
              remote("b-cheap").costPerToken(0.001, 0).build(),
              remote("c-cheapest").build());

      // cost weight 0: every score 1.5 + 2.8 = 4.3; then effective cost 0, 0.001, 0.002
      assertThat(rankedKeys(priceBlind, catalog))
          .containsExactly("openrouter/c-cheapest", "openrouter/b-cheap", "openrouter/a-dear");
    }

    @Test
    void select_equalScoresAndCost_keyOrderProviderFirst() {
      ModelInfo bZ = ModelInfo.builder(ProviderId.of("b"), ProviderType.CUSTOM_API, "z").build();
      ModelInfo aZ = ModelInfo.builder(ProviderId.of("a"), ProviderType.CUSTOM_API, "z").build();
      ModelInfo bA = ModelInfo.builder(ProviderId.of("b"), ProviderType.CUSTOM_API, "a").build();
      ModelInfo aY = ModelInfo.builder(ProviderId.of("a"), ProviderType.CUSTOM_API, "y").build();

      // all 4.3 at cost 0: by provider, then by model id
      assertThat(rankedKeys(selector, List.of(bZ, aZ, bA, aY)))
          .containsExactly("a/y", "a/z", "b/a", "b/z");
    }

    @Test
    void select_scoreBeforeCostBeforeKey() {
      List<ModelInfo> catalog =
          List.of(
              remote("a").costPerToken(0.001, 0).build(),
              remote("b").build(),
              remote("c").performanceScore(5.5).costPerToken(0.009, 0).build());

      // c scores 0.15 more (5.5 x 0.3 = 1.65) despite its price; b is cheaper than a
      assertThat(rankedKeys(priceBlind, catalog))
          .containsExactly("openrouter/c", "openrouter/b", "openrouter/a");
    }

    @Test
    void select_scoresThatDifferInTheLastBit_stillRankedByScore() {
      // Weights 0 but safety, and a task bonus of one unit in the last place of 2.8:
      // "a" scores 7 x 0.4 = 2.8000000000000003, "b" one ulp more with its chat capability.
      // Their primitive sort keys share all but the low 4 bits (8 catalog positions), where
      // "a" sits before "b" by key; the final comparator sort must put "b" first.
      SelectionConfig config =
          SelectionConfig.builder()
              .performanceWeight(0)
              .costWeight(0)
              .taskCapabilityBonus(Math.ulp(2.8))
              .build();
      List<ModelInfo> catalog = new ArrayList<>();
      catalog.add(remote("b").capabilities("chat").build());
      catalog.add(remote("a").build());
      for (int i = 0; i < 6; i++) {
        catalog.add(remote("dropped-" + i).therapeuticSafetyScore(0).build());
      }

      Selection selection =
          new ModelSelector(config)
              .select(catalog, task(TaskType.GENERAL_CHAT), SelectionSnapshot.empty());

      assertThat(selection.ranked()).extracting(c -> c.model().id()).containsExactly("b", "a");
      assertThat(selection.ranked().get(0).score())
          .isEqualTo(Math.nextUp(selection.ranked().get(1).score()));
    }

    @Test
    void select_negativeScores_rankedDescending() {
      SelectionConfig config =
          SelectionConfig.builder().performanceWeight(0).safetyWeight(0).costWeight(0).build();
      ModelInfo worse = remote("worse").build();
      ModelInfo better = remote("better").build();
      ModelInfo zero = remote("zero").build();
      // history: all failed -> -1.0; 9 of 10 -> 0.0 with latency 2000 -> 0; 5 of 10 -> -1.0
      // plus latency 1 - 3000 / 2000 = -0.5 x 0.5 = -0.25: -1.25
      SelectionSnapshot snapshot =
          new SelectionSnapshot(
              Map.of(
                  worse.key(), stats(10, 5, 3000),
                  better.key(), stats(10, 0, 0),
                  zero.key(), stats(10, 9, 2000)),
              Optional.empty(),
              Map.of());

      Selection selection =
          new ModelSelector(config)
              .select(List.of(worse, better, zero), task(TaskType.GENERAL_CHAT), snapshot);

      assertThat(selection.ranked())
          .extracting(c -> c.model().id())
          .containsExactly("zero", "better", "worse");
      assertThat(selection.ranked())
          .extracting(ScoredCandidate::score)
          .containsExactly(0.0, -1.0, -1.25);
    }

    @Test
    void descendingKey_ordersScoresDescending() {
      double[] descending = {
        Double.MAX_VALUE,
        12.5,
        2.8000000000000003,
        2.8,
        Double.MIN_VALUE,
        0.0,
        -0.0,
        -Double.MIN_VALUE,
        -1,
        -1.25,
        -Double.MAX_VALUE
      };

      long[] keys = Arrays.stream(descending).mapToLong(ModelSelector::descendingKey).toArray();

      for (int i = 1; i < keys.length; i++) {
        assertThat(keys[i]).as("key of %s", descending[i]).isGreaterThan(keys[i - 1]);
      }
    }

    @Test
    void select_sameCatalogInAnyOrder_sameRanking() {
      List<ModelInfo> catalog =
          List.of(
              remote("a").performanceScore(7).build(),
              remote("b").build(),
              remote("c").costPerToken(0.001, 0).build(),
              local("d").therapeuticSafetyScore(9).build(),
              remote("e").build());
      List<ModelInfo> reversed = new ArrayList<>(catalog);
      java.util.Collections.reverse(reversed);

      assertThat(rankedKeys(selector, reversed)).isEqualTo(rankedKeys(selector, catalog));
      assertThat(rankedKeys(priceBlind, reversed)).isEqualTo(rankedKeys(priceBlind, catalog));
    }
  }

  @Nested
  class Presort {

    /** Every weight 0 but performance, whose weight is 2^-40; every model gets 1.0 as affinity. */
    private final Scoring scoring =
        new Scoring(
            SelectionConfig.builder()
                .performanceWeight(Math.scalb(1.0, -40))
                .safetyWeight(0)
                .costWeight(0)
                .build());

    private final TaskAffinity one = new TaskAffinity(TaskType.GENERAL_CHAT, "m", 1.0);

    /** Score 1.0 + performance x 2^-40: differs from 1.0 in bit 12 of the mantissa and below. */
    private Evaluation evaluation(double performance, int position) {
      return new Evaluation(
          scoring,
          task(TaskType.GENERAL_CHAT),
          null,
          remote("m" + position).performanceScore(performance).build(),
          null,
          0,
          one,
          position);
    }

    @Test
    void positionMask_coversEveryPositionBelowTheSize() {
      assertThat(ModelSelector.positionMask(0)).isEqualTo(0);
      assertThat(ModelSelector.positionMask(1)).isEqualTo(1);
      assertThat(ModelSelector.positionMask(2)).isEqualTo(3);
      assertThat(ModelSelector.positionMask(3)).isEqualTo(3);
      assertThat(ModelSelector.positionMask(4)).isEqualTo(7);
      assertThat(ModelSelector.positionMask(500)).isEqualTo(511);
      assertThat(ModelSelector.positionMask(10_000)).isEqualTo(16_383);
    }

    @Test
    void presort_scoresDifferingAboveThePositionBits_inRankingOrderAlready() {
      // scores 1 + 1 x 2^-40, 1 + 3 x 2^-40, 1 + 2 x 2^-40 with positions 0, 1, 2 (mask 3 bits):
      // the presort alone must order them by score, not by position
      Evaluation low = evaluation(1, 0);
      Evaluation high = evaluation(3, 1);
      Evaluation mid = evaluation(2, 2);

      Evaluation[] sorted = ModelSelector.presort(new Evaluation[] {low, high, mid, null}, 3, 3);

      assertThat(sorted).containsExactly(high, mid, low);
    }

    @Test
    void presort_equalScores_byPosition() {
      Evaluation second = evaluation(2, 1);
      Evaluation first = evaluation(2, 0);
      Evaluation third = evaluation(2, 2);

      Evaluation[] sorted = ModelSelector.presort(new Evaluation[] {second, third, first}, 3, 5);

      assertThat(sorted).containsExactly(first, second, third);
    }

    @Test
    void ranking_equalScores_lowerPositionFirst() {
      Evaluation first = evaluation(2, 0);
      Evaluation second = evaluation(2, 1);

      assertThat(ModelSelector.RANKING.compare(first, second)).isNegative();
      assertThat(ModelSelector.RANKING.compare(second, first)).isPositive();
      assertThat(ModelSelector.RANKING.compare(evaluation(3, 1), first)).isNegative();
    }
  }

  @Nested
  class Remembering {

    private final ModelRequirements general = task(TaskType.GENERAL_CHAT);

    @Test
    void select_otherModelsInACatalogOfTheSameSize_scoresTheNewOnes() {
      List<ModelInfo> first = List.of(remote("a").performanceScore(1).build());
      List<ModelInfo> second = List.of(remote("a").performanceScore(9).build());

      selector.select(first, general, SelectionSnapshot.empty());
      Selection selection = selector.select(second, general, SelectionSnapshot.empty());

      assertThat(selection.ranked().get(0).model()).isSameAs(second.get(0));
      // 9 x 0.3 = 2.7
      assertThat(selection.ranked().get(0).term(ScoreTerm.PERFORMANCE).value())
          .isCloseTo(2.7, EXACT);
    }

    @Test
    void select_catalogChangedInPlace_scoresTheNewModel() {
      List<ModelInfo> catalog = new ArrayList<>(List.of(remote("a").build(), remote("b").build()));
      selector.select(catalog, general, SelectionSnapshot.empty());
      catalog.set(1, remote("b").capabilities("chat").build());

      Selection selection = selector.select(catalog, general, SelectionSnapshot.empty());

      // b now has chat: 4.3 + 3.0 + 0.5 = 7.8, ahead of a at 7.3
      assertThat(selection.ranked()).extracting(c -> c.model().id()).containsExactly("b", "a");
    }

    @Test
    void select_catalogOfAnotherSize_scoresItsModels() {
      ModelInfo a = remote("a").build();
      selector.select(List.of(a), general, SelectionSnapshot.empty());

      Selection selection =
          selector.select(
              List.of(a, remote("b").performanceScore(9).build()),
              general,
              SelectionSnapshot.empty());

      assertThat(selection.ranked()).extracting(c -> c.model().id()).containsExactly("b", "a");
    }

    @Test
    void select_sameCatalogAnotherTask_usesThatTasksBonuses() {
      List<ModelInfo> catalog = List.of(remote("anthropic/claude-3").capabilities("chat").build());

      ScoredCandidate narrative =
          selector
              .select(catalog, task(TaskType.NARRATIVE_GENERATION), SelectionSnapshot.empty())
              .ranked()
              .get(0);
      ScoredCandidate dialogue =
          selector
              .select(catalog, task(TaskType.DIALOGUE_GENERATION), SelectionSnapshot.empty())
              .ranked()
              .get(0);
      ScoredCandidate again =
          selector
              .select(catalog, task(TaskType.NARRATIVE_GENERATION), SelectionSnapshot.empty())
              .ranked()
              .get(0);

      // narrative: claude +2.0, chat not a narrative capability; dialogue: claude +1.5, chat +0.5
      assertThat(narrative.term(ScoreTerm.AFFINITY).value()).isEqualTo(2.0);
      assertThat(narrative.term(ScoreTerm.TASK).value()).isEqualTo(0.0);
      assertThat(dialogue.term(ScoreTerm.AFFINITY).value()).isEqualTo(1.5);
      assertThat(dialogue.term(ScoreTerm.TASK).value()).isEqualTo(0.5);
      assertThat(again.terms()).isEqualTo(narrative.terms());
    }

    @Test
    void select_snapshotsTakenInTurn_eachOnesMeasurementsUsed() {
      ModelInfo model = remote("m").build();
      List<ModelInfo> catalog = List.of(model);
      SelectionSnapshot good = measured(model, stats(10, 10, 0));
      SelectionSnapshot bad = measured(model, stats(10, 0, 0));
      SelectionSnapshot middling = measured(model, stats(10, 9, 2000));

      // history: good 1.0 + 0.5 = 1.5; bad -1.0; middling 0 + 0 = 0
      double[] histories = new double[5];
      SelectionSnapshot[] order = {good, bad, middling, good, bad};
      for (int i = 0; i < order.length; i++) {
        histories[i] =
            selector.select(catalog, general, order[i]).ranked().get(0).term("history").value();
      }

      assertThat(histories).containsExactly(1.5, -1.0, 0.0, 1.5, -1.0);
    }

    @Test
    void select_unavailableAndMeasuredTogether_bothApplied() {
      ModelInfo gone = remote("gone").build();
      ModelInfo kept = remote("kept").build();
      List<ModelInfo> catalog = List.of(gone, kept);
      SelectionSnapshot first =
          new SelectionSnapshot(
              Map.of(kept.key(), stats(10, 10, 0)), Optional.empty(), Map.of(gone.key(), "open"));
      SelectionSnapshot second =
          new SelectionSnapshot(
              Map.of(gone.key(), stats(10, 10, 0)), Optional.empty(), Map.of(kept.key(), "shut"));

      Selection one = selector.select(catalog, general, first);
      Selection two = selector.select(catalog, general, second);
      Selection oneAgain = selector.select(catalog, general, first);

      assertThat(one.ranked()).extracting(c -> c.model().id()).containsExactly("kept");
      assertThat(one.dropped()).extracting(DroppedModel::detail).containsExactly("open");
      assertThat(two.ranked()).extracting(c -> c.model().id()).containsExactly("gone");
      assertThat(two.dropped()).extracting(DroppedModel::detail).containsExactly("shut");
      assertThat(oneAgain).isEqualTo(one);
      assertThat(one.ranked().get(0).term("history").value()).isEqualTo(1.5);
    }

    @Test
    void factsFor_sameCatalog_sameFactsElseNew() {
      List<ModelInfo> catalog = List.of(remote("a").build(), remote("b").build());
      CatalogFacts facts = selector.factsFor(catalog);

      assertThat(selector.factsFor(catalog)).isSameAs(facts);
      assertThat(selector.factsFor(new ArrayList<>(catalog))).isSameAs(facts);
      CatalogFacts other = selector.factsFor(List.of(catalog.get(0)));
      assertThat(other).isNotSameAs(facts);
      assertThat(selector.factsFor(List.of(catalog.get(0)))).isSameAs(other);
    }

    @Test
    void select_termsAndDropsWrittenOnFirstReadOnly() {
      ModelRequirements requirements =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0).build();
      Selection selection =
          selector.select(
              List.of(remote("a").build(), remote("b").costPerToken(1, 1).build()),
              requirements,
              SelectionSnapshot.empty());

      // the selector's own lists, kept as given, write their texts when read
      List<ScoreTerm> terms = selection.ranked().get(0).terms();
      assertThat(terms).isInstanceOf(Evaluation.class);
      assertThat(selection.dropped()).isInstanceOf(Rejections.class);
      assertThat(terms.get(0)).isSameAs(terms.get(0));
      assertThat(selection.dropped().get(0)).isSameAs(selection.dropped().get(0));
    }

    @Test
    void select_nullModelInCatalog_rejected() {
      List<ModelInfo> catalog = Arrays.asList(remote("a").build(), null);

      assertThatThrownBy(() -> selector.select(catalog, general, SelectionSnapshot.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("catalog[1]: must not be null");
    }

    @Test
    void select_emptyCatalog_emptySelection() {
      Selection selection = selector.select(List.of(), general, SelectionSnapshot.empty());

      assertThat(selection.ranked()).isEmpty();
      assertThat(selection.dropped()).isEmpty();
      assertThat(selection.best()).isEmpty();
    }
  }

  @Test
  void select_nullArguments_rejectedNamingThem() {
    ModelRequirements requirements = task(TaskType.GENERAL_CHAT);
    SelectionSnapshot snapshot = SelectionSnapshot.empty();

    assertThatThrownBy(() -> selector.select(null, requirements, snapshot))
        .hasMessage("catalog: is required");
    assertThatThrownBy(() -> selector.select(List.of(), null, snapshot))
        .hasMessage("requirements: is required");
    assertThatThrownBy(() -> selector.select(List.of(), requirements, null))
        .hasMessage("snapshot: is required");
    ModelInfo model = remote("m").build();
    assertThatThrownBy(() -> selector.check(null, requirements, snapshot))
        .hasMessage("model: is required");
    assertThatThrownBy(() -> selector.check(model, null, snapshot))
        .hasMessage("requirements: is required");
    assertThatThrownBy(() -> selector.check(model, requirements, null))
        .hasMessage("snapshot: is required");
    assertThatThrownBy(() -> new ModelSelector(null)).hasMessage("config: is required");
  }

  @Test
  void config_isTheOneGiven() {
    SelectionConfig config = SelectionConfig.builder().freeBonus(2).build();

    assertThat(new ModelSelector(config).config()).isSameAs(config);
  }

  @Test
  void check_usesTheSnapshotsMeasurementsAndHardware() {
    ModelInfo model = local("m").therapeuticSafetyScore(8).estimatedMemoryBytes(2 * GIB).build();
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.GENERAL_CHAT).maxLatencyMs(1000).build();
    SelectionSnapshot fastButSmall =
        new SelectionSnapshot(
            Map.of(model.key(), stats(5, 5, 900)), Optional.of(hardware(GIB)), Map.of());

    Optional<DroppedModel> drop = selector.check(model, requirements, fastButSmall);

    // measured 900 ms <= 1000 passes latency; 2 GiB > 1 GiB fails hardware
    assertThat(drop).map(DroppedModel::rule).contains(DropRule.HARDWARE);
  }
}
