package dev.tta.models.selection;

import static dev.tta.models.selection.Fixtures.GIB;
import static dev.tta.models.selection.Fixtures.hardware;
import static dev.tta.models.selection.Fixtures.local;
import static dev.tta.models.selection.Fixtures.remote;
import static dev.tta.models.selection.Fixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.monitoring.DurationStats;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SelectionTest {

  private final ModelSelector selector = new ModelSelector(SelectionConfig.defaults());

  @Test
  void explain_listsRequirementsEveryTermAndEveryDrop() {
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.THERAPEUTIC_RESPONSE).maxCostPerToken(0.0001).build();
    List<ModelInfo> catalog =
        List.of(
            remote("vendor/pricey").costPerToken(0.0002, 0).build(),
            remote("vendor/cheap").build());

    String text = selector.select(catalog, requirements, SelectionSnapshot.empty()).explain();

    // cheap: performance 5 x 0.3 = 1.5, safety 7 x 0.4 = 2.8, cost 10 x 0.3 = 3.0; total 7.3
    assertThat(text)
        .isEqualTo(
            """
            Requirements: task therapeutic_response, max cost 0.0001 per token, \
            therapeutic safety required
            Ranked (1):
              1. openrouter/vendor/cheap score 7.3
                   performance 1.5 (performance unknown, default 5.0 x 0.3)
                   safety 2.8 (safety unknown, remote default 7.0 x 0.4)
                   cost 3.0 (cost score max(0, 10 x (1 - 0.0 / 0.01)) = 10.0 x 0.3)
                   task 0.0 (0 of therapeutic_response's [empathy, safety, therapeutic] x 0.5)
                   affinity 0.0 (no therapeutic_response affinity matches)
                   free 0.0 (free models not preferred)
                   local 0.0 (local models not preferred)
                   hardware 0.0 (remote model)
                   history 0.0 (no measurements)
            Dropped (1):
              openrouter/vendor/pricey COST: effective cost 0.0002 > max 0.0001
            """);
  }

  /** The worked example of docs/features/selection.md, with the same code and numbers. */
  @Test
  void explain_theDocumentedExample() {
    ModelInfo claude =
        ModelInfo.builder(
                ProviderId.of("openrouter"), ProviderType.OPENROUTER, "anthropic/claude-3.5-sonnet")
            .performanceScore(8)
            .therapeuticSafetyScore(9)
            .costPerToken(0.000003, 0.000015)
            .capabilities("chat", "empathy", "therapeutic")
            .build();
    ModelInfo llama =
        ModelInfo.builder(
                ProviderId.of("openrouter"),
                ProviderType.OPENROUTER,
                "meta-llama/llama-3.1-8b-instruct:free")
            .free(true)
            .performanceScore(6)
            .capabilities("chat")
            .build();
    ModelInfo small =
        ModelInfo.builder(ProviderId.of("ollama"), ProviderType.OLLAMA, "llama3.2:3b").build();
    ModelInfo gpt =
        ModelInfo.builder(ProviderId.of("openrouter"), ProviderType.OPENROUTER, "openai/gpt-4o")
            .costPerToken(0.0000025, 0.00003)
            .build();
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.THERAPEUTIC_RESPONSE)
            .maxCostPerToken(0.00002)
            .preferFree(true)
            .build();
    ModelStats measured =
        new ModelStats(
            TimeWindow.ONE_HOUR,
            20,
            19,
            new DurationStats(19, 700, 1300, 1200, 2100, 2600, 2900),
            new DurationStats(19, 150, 320, 300, 600, 800, 900),
            85,
            120,
            9_000,
            6_000,
            0.09,
            OptionalDouble.of(8.5),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            Map.of(ErrorClass.TIMEOUT, 1L));
    SelectionSnapshot snapshot =
        new SelectionSnapshot(Map.of(claude.key(), measured), Optional.empty(), Map.of());

    Selection selection =
        new ModelSelector(SelectionConfig.defaults())
            .select(List.of(claude, llama, small, gpt), requirements, snapshot);

    // claude: 8 x 0.3 = 2.4; 9 x 0.4 = 3.6; 10 x (1 - 0.000015 / 0.01) = 9.985 x 0.3 = 2.9955;
    //   empathy, therapeutic: 2 x 0.5 = 1.0; "claude" +2.5; not free: 0;
    //   history: success (0.95 - 0.9) / 0.1 = 0.5 x 1.0 = 0.5, latency 1 - 1200 / 2000 = 0.4 x 0.5
    //   = 0.2, first token 1 - 300 / 500 = 0.4 x 0.25 = 0.1, quality (8.5 - 5) / 5 = 0.7 x 1.0
    //   = 0.7: 1.5; total 2.4 + 3.6 + 2.9955 + 1.0 + 2.5 + 1.5 = 13.9955
    // llama: 6 x 0.3 = 1.8; remote default 7 x 0.4 = 2.8; free 10 x 0.3 = 3.0; no task
    //   capability; "llama-3.1" +1.0; free and preferred +1.0; total 9.6
    // small: local, safety unknown -> SAFETY; gpt: effective 0.00003 > 0.00002 -> COST
    assertThat(selection.explain())
        .isEqualTo(
            """
            Requirements: task therapeutic_response, max cost 0.00002 per token, \
            therapeutic safety required, prefer free
            Ranked (2):
              1. openrouter/anthropic/claude-3.5-sonnet score 13.9955
                   performance 2.4 (8.0 x 0.3)
                   safety 3.6 (9.0 x 0.4)
                   cost 2.9955 (cost score max(0, 10 x (1 - 0.000015 / 0.01)) = 9.985 x 0.3)
                   task 1.0 (2 of therapeutic_response's [empathy, safety, therapeutic] \
            (empathy, therapeutic) x 0.5)
                   affinity 2.5 ('claude' for therapeutic_response, +2.5)
                   free 0.0 (not free)
                   local 0.0 (local models not preferred)
                   hardware 0.0 (remote model)
                   history 1.5 (20 calls: success rate 0.95 vs 0.9 -> 0.5 x 1.0; \
            latency p50 1200.0 ms vs 2000.0 -> 0.4 x 0.5; \
            first token p50 300.0 ms vs 500.0 -> 0.4 x 0.25; quality 8.5 -> 0.7 x 1.0)
              2. openrouter/meta-llama/llama-3.1-8b-instruct:free score 9.6
                   performance 1.8 (6.0 x 0.3)
                   safety 2.8 (safety unknown, remote default 7.0 x 0.4)
                   cost 3.0 (free, cost score 10.0 x 0.3)
                   task 0.0 (0 of therapeutic_response's [empathy, safety, therapeutic] x 0.5)
                   affinity 1.0 ('llama-3.1' for therapeutic_response, +1.0)
                   free 1.0 (free and preferred, +1.0)
                   local 0.0 (local models not preferred)
                   hardware 0.0 (remote model)
                   history 0.0 (no measurements)
            Dropped (2):
              ollama/llama3.2:3b SAFETY: therapeutic safety unknown on a local provider \
            (ollama); unknown safety is accepted only from remote providers
              openrouter/openai/gpt-4o COST: effective cost 0.00003 > max 0.00002
            """);
  }

  @Test
  void explain_ranksInOrderWithTheirNumbers() {
    List<ModelInfo> catalog =
        List.of(remote("second").build(), remote("first").performanceScore(9).build());

    String text =
        selector
            .select(
                catalog,
                ModelRequirements.forTask(TaskType.GENERAL_CHAT),
                SelectionSnapshot.empty())
            .explain();

    // first: 9 x 0.3 = 2.7 + 2.8 + 3.0 = 8.5; second: 1.5 + 2.8 + 3.0 = 7.3
    assertThat(text)
        .contains("  1. openrouter/first score 8.5\n       performance 2.7 (9.0 x 0.3)\n")
        .contains("  2. openrouter/second score 7.3\n")
        .endsWith("Dropped (0):\n");
  }

  @Test
  void explain_everyRequirementNamed() {
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.GENERAL_CHAT)
            .maxLatencyMs(3000)
            .minQualityScore(6)
            .maxCostPerToken(0.0001)
            .requiredCapabilities("tools", "chat")
            .contextLengthNeeded(8192)
            .therapeuticSafetyRequired(false)
            .preferFree(true)
            .preferLocal(true)
            .build();

    String text = selector.select(List.of(), requirements, SelectionSnapshot.empty()).explain();

    assertThat(text)
        .isEqualTo(
            """
            Requirements: task general_chat, max latency 3000 ms, min quality 6.0, \
            max cost 0.0001 per token, capabilities [chat, tools], context 8192 tokens, \
            therapeutic safety not required, prefer free, prefer local
            Ranked (0):
            Dropped (0):
            """);
  }

  @Test
  void explain_measuredLocalModelWithHardware_derivationsNameTheInputs() {
    ModelInfo model =
        local("llama3.1:8b")
            .performanceScore(7)
            .therapeuticSafetyScore(8)
            .estimatedMemoryBytes(5 * GIB)
            .build();
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.DIALOGUE_GENERATION).preferLocal(true).build();
    SelectionSnapshot snapshot =
        new SelectionSnapshot(
            Map.of(model.key(), stats(8, 8, 1500)), Optional.of(hardware(16 * GIB)), Map.of());

    String text = selector.select(List.of(model), requirements, snapshot).explain();

    // 7 x 0.3 = 2.1; 8 x 0.4 = 3.2; cost 3.0; affinity llama3.1 +2.0; local +1.0;
    // 16 GiB >= 5 x 1.5 = 7.5 GiB: +1.0; history 1.0 + (1 - 1500 / 2000) 0.25 x 0.5 = 1.125
    // total 2.1 + 3.2 + 3.0 + 2.0 + 1.0 + 1.0 + 1.125 = 13.425
    assertThat(text)
        .contains("1. ollama/llama3.1:8b score 13.425\n")
        .contains("affinity 2.0 ('llama3.1' for dialogue_generation, +2.0)\n")
        .contains("local 1.0 (local and preferred, +1.0)\n")
        .contains(
            "hardware 1.0 (needs 5.0 GiB (5368709120 bytes) of 16.0 GiB (17179869184 bytes)"
                + " available, headroom (at least 1.5 x need), +1.0)\n")
        .contains(
            "history 1.125 (8 calls: success rate 1.0 vs 0.9 -> 1.0 x 1.0;"
                + " latency p50 1500.0 ms vs 2000.0 -> 0.25 x 0.5;"
                + " no time to first token measured; no quality supplied)\n");
  }

  @Test
  void best_theFirstRanked() {
    ModelInfo top = remote("top").performanceScore(10).build();
    Selection selection =
        selector.select(
            List.of(remote("other").build(), top),
            ModelRequirements.forTask(TaskType.GENERAL_CHAT),
            SelectionSnapshot.empty());

    assertThat(selection.best()).map(ScoredCandidate::model).contains(top);
  }

  @Test
  void best_nothingRanked_empty() {
    Selection selection =
        new Selection(ModelRequirements.forTask(TaskType.GENERAL_CHAT), List.of(), List.of());

    assertThat(selection.best()).isEmpty();
  }

  @Test
  void constructor_copiesGivenListsAndRejectsNulls() {
    ModelRequirements requirements = ModelRequirements.forTask(TaskType.GENERAL_CHAT);
    ModelInfo model = remote("m").build();
    List<ScoredCandidate> ranked =
        new ArrayList<>(List.of(new ScoredCandidate(model, 1, List.of())));
    List<DroppedModel> dropped =
        new ArrayList<>(List.of(new DroppedModel(model, DropRule.COST, "too dear")));

    Selection selection = new Selection(requirements, ranked, dropped);
    ranked.clear();
    dropped.clear();

    assertThat(selection.ranked()).hasSize(1);
    assertThat(selection.dropped()).hasSize(1);
    assertThatThrownBy(() -> selection.dropped().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Selection(null, List.of(), List.of()))
        .hasMessage("requirements: is required");
    assertThatThrownBy(() -> new Selection(requirements, null, List.of()))
        .hasMessage("ranked: is required");
    assertThatThrownBy(() -> new Selection(requirements, List.of(), null))
        .hasMessage("dropped: is required");
    assertThatThrownBy(
            () -> new Selection(requirements, List.of(), Arrays.asList((DroppedModel) null)))
        .hasMessage("dropped[0]: must not be null");
  }

  @Test
  void selectorsLists_immutableAndEqualToPlainCopies() {
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0).build();
    Selection selection =
        selector.select(
            List.of(remote("a").build(), remote("b").costPerToken(1, 1).build()),
            requirements,
            SelectionSnapshot.empty());

    ScoredCandidate candidate = selection.ranked().get(0);
    assertThatThrownBy(() -> selection.dropped().remove(0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> candidate.terms().remove(0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(selection.dropped()).isEqualTo(List.copyOf(selection.dropped()));
    assertThat(candidate.terms()).isEqualTo(List.copyOf(candidate.terms()));
    assertThat(
            new ScoredCandidate(
                candidate.model(), candidate.score(), List.copyOf(candidate.terms())))
        .isEqualTo(candidate);
  }
}
