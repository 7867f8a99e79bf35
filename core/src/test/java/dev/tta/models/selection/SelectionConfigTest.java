package dev.tta.models.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.TaskType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SelectionConfigTest {

  @Test
  void defaults_theOriginalsValuesAndOurs() {
    SelectionConfig config = SelectionConfig.defaults();

    assertThat(config.performanceWeight()).isEqualTo(0.3);
    assertThat(config.safetyWeight()).isEqualTo(0.4);
    assertThat(config.costWeight()).isEqualTo(0.3);
    assertThat(config.defaultPerformanceScore()).isEqualTo(5.0);
    assertThat(config.defaultRemoteSafetyScore()).isEqualTo(7.0);
    assertThat(config.defaultLocalSafetyScore()).isEqualTo(5.0);
    assertThat(config.minTherapeuticSafetyScore()).isEqualTo(7.0);
    assertThat(config.costScoreZeroAtPerToken()).isEqualTo(0.01);
    assertThat(config.taskCapabilityBonus()).isEqualTo(0.5);
    assertThat(config.freeBonus()).isEqualTo(1.0);
    assertThat(config.localBonus()).isEqualTo(1.0);
    assertThat(config.hardwareHeadroomFactor()).isEqualTo(1.5);
    assertThat(config.hardwareHeadroomBonus()).isEqualTo(1.0);
    assertThat(config.hardwareFitBonus()).isEqualTo(0.5);
    assertThat(config.defaultLocalLatencyMs()).isEqualTo(4000);
    assertThat(config.defaultRemoteLatencyMs()).isEqualTo(2000);
    assertThat(config.historyMinSamples()).isEqualTo(5);
    assertThat(config.historySuccessBaseline()).isEqualTo(0.9);
    assertThat(config.historySuccessWeight()).isEqualTo(1.0);
    assertThat(config.historyLatencyTargetMs()).isEqualTo(2000);
    assertThat(config.historyLatencyWeight()).isEqualTo(0.5);
    assertThat(config.historyTimeToFirstTokenTargetMs()).isEqualTo(500);
    assertThat(config.historyTimeToFirstTokenWeight()).isEqualTo(0.25);
    assertThat(config.historyQualityWeight()).isEqualTo(1.0);
    assertThat(config.taskAffinities()).isEqualTo(SelectionConfig.DEFAULT_TASK_AFFINITIES);
    assertThat(SelectionConfig.builder().build()).isEqualTo(config);
  }

  @Test
  void defaults_theOriginalsTaskCapabilitiesForEveryTask() {
    Map<TaskType, Set<String>> capabilities = SelectionConfig.defaults().taskCapabilities();

    assertThat(capabilities)
        .containsOnlyKeys(TaskType.values())
        .containsEntry(
            TaskType.NARRATIVE_GENERATION, Set.of("creative_writing", "storytelling", "long_form"))
        .containsEntry(TaskType.DIALOGUE_GENERATION, Set.of("conversation", "chat", "dialogue"))
        .containsEntry(
            TaskType.CHARACTER_DEVELOPMENT, Set.of("character", "personality", "psychology"))
        .containsEntry(TaskType.THERAPEUTIC_RESPONSE, Set.of("empathy", "safety", "therapeutic"))
        .containsEntry(
            TaskType.WORLD_BUILDING, Set.of("creative_writing", "world_building", "description"))
        .containsEntry(
            TaskType.CHOICE_GENERATION, Set.of("decision_making", "options", "branching"))
        .containsEntry(TaskType.CONSEQUENCE_ANALYSIS, Set.of("analysis", "reasoning", "logic"))
        .containsEntry(TaskType.GENERAL_CHAT, Set.of("chat", "conversation", "general"));
  }

  @Test
  void affinitiesFor_theTasksEntriesInOrder() {
    List<TaskAffinity> therapeutic =
        SelectionConfig.defaults().affinitiesFor(TaskType.THERAPEUTIC_RESPONSE);

    assertThat(therapeutic)
        .extracting(TaskAffinity::modelPattern, TaskAffinity::bonus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("claude", 2.5),
            org.assertj.core.groups.Tuple.tuple("gpt-4", 2.0),
            org.assertj.core.groups.Tuple.tuple("llama-3.1", 1.0),
            org.assertj.core.groups.Tuple.tuple("llama3.1", 1.0));
    assertThat(SelectionConfig.defaults().affinitiesFor(TaskType.GENERAL_CHAT)).isEmpty();
  }

  @Test
  void toBuilder_roundTripsEveryField() {
    SelectionConfig custom =
        SelectionConfig.builder()
            .performanceWeight(0.1)
            .safetyWeight(0.2)
            .costWeight(0.7)
            .defaultPerformanceScore(4)
            .defaultRemoteSafetyScore(6)
            .defaultLocalSafetyScore(3)
            .minTherapeuticSafetyScore(8)
            .costScoreZeroAtPerToken(0.001)
            .taskCapabilityBonus(0.2)
            .taskCapabilities(TaskType.GENERAL_CHAT, List.of("tools"))
            .taskAffinities(List.of(new TaskAffinity(TaskType.GENERAL_CHAT, "x", 1)))
            .freeBonus(2)
            .localBonus(3)
            .hardwareHeadroomFactor(2)
            .hardwareHeadroomBonus(0.7)
            .hardwareFitBonus(0.2)
            .defaultLocalLatencyMs(9000)
            .defaultRemoteLatencyMs(1500)
            .historyMinSamples(20)
            .historySuccessBaseline(0.8)
            .historySuccessWeight(2)
            .historyLatencyTargetMs(1000)
            .historyLatencyWeight(0.1)
            .historyTimeToFirstTokenTargetMs(300)
            .historyTimeToFirstTokenWeight(0.2)
            .historyQualityWeight(0.3)
            .build();

    assertThat(custom.toBuilder().build()).isEqualTo(custom);
    assertThat(custom).isNotEqualTo(SelectionConfig.defaults());
    assertThat(custom.capabilitiesFor(TaskType.GENERAL_CHAT)).containsExactly("tools");
    assertThat(custom.capabilitiesFor(TaskType.WORLD_BUILDING))
        .isEqualTo(SelectionConfig.DEFAULT_TASK_CAPABILITIES.get(TaskType.WORLD_BUILDING));
    assertThat(custom.historyQualityWeight()).isEqualTo(0.3);
    assertThat(custom.defaultLocalLatencyMs()).isEqualTo(9000);
  }

  @Test
  void taskCapabilities_wholeMapReplacesAndMissingTasksGetNone() {
    Map<TaskType, Set<String>> only = new EnumMap<>(TaskType.class);
    only.put(TaskType.WORLD_BUILDING, Set.of(" Maps ", "lore"));

    SelectionConfig config = SelectionConfig.builder().taskCapabilities(only).build();

    assertThat(config.capabilitiesFor(TaskType.WORLD_BUILDING)).containsExactly("lore", "maps");
    assertThat(config.capabilitiesFor(TaskType.GENERAL_CHAT)).isEmpty();
    assertThat(config.taskCapabilities()).containsOnlyKeys(TaskType.values());
    assertThatThrownBy(() -> config.taskCapabilities().put(TaskType.GENERAL_CHAT, Set.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void build_rejectsEveryBadValueNamingTheField() {
    assertRejected(
        b -> b.performanceWeight(-0.1),
        "performance_weight: must be a finite number of at least 0, was -0.1");
    assertRejected(
        b -> b.safetyWeight(Double.NaN),
        "safety_weight: must be a finite number of at least 0, was NaN");
    assertRejected(
        b -> b.costWeight(-1), "cost_weight: must be a finite number of at least 0, was -1.0");
    assertRejected(
        b -> b.defaultPerformanceScore(10.5),
        "default_performance_score: must be between 0.0 and 10.0, was 10.5");
    assertRejected(
        b -> b.defaultRemoteSafetyScore(-1),
        "default_remote_safety_score: must be between 0.0 and 10.0, was -1.0");
    assertRejected(
        b -> b.defaultLocalSafetyScore(11),
        "default_local_safety_score: must be between 0.0 and 10.0, was 11.0");
    assertRejected(
        b -> b.minTherapeuticSafetyScore(11),
        "min_therapeutic_safety_score: must be between 0.0 and 10.0, was 11.0");
    assertRejected(
        b -> b.costScoreZeroAtPerToken(0),
        "cost_score_zero_at_per_token: must be a finite number greater than 0, was 0.0");
    assertRejected(
        b -> b.costScoreZeroAtPerToken(Double.POSITIVE_INFINITY),
        "cost_score_zero_at_per_token: must be a finite number greater than 0, was Infinity");
    assertRejected(
        b -> b.taskCapabilityBonus(Double.NaN),
        "task_capability_bonus: must be a finite number, was NaN");
    assertRejected(b -> b.taskAffinities(null), "task_affinities: is required");
    assertRejected(
        b -> b.freeBonus(Double.POSITIVE_INFINITY),
        "free_bonus: must be a finite number, was Infinity");
    assertRejected(b -> b.localBonus(Double.NaN), "local_bonus: must be a finite number, was NaN");
    assertRejected(
        b -> b.hardwareHeadroomFactor(0.99),
        "hardware_headroom_factor: must be a finite number of at least 1, was 0.99");
    assertRejected(
        b -> b.hardwareHeadroomFactor(Double.POSITIVE_INFINITY),
        "hardware_headroom_factor: must be a finite number of at least 1, was Infinity");
    assertRejected(
        b -> b.hardwareHeadroomBonus(Double.NaN),
        "hardware_headroom_bonus: must be a finite number, was NaN");
    assertRejected(
        b -> b.hardwareFitBonus(Double.NaN),
        "hardware_fit_bonus: must be a finite number, was NaN");
    assertRejected(
        b -> b.defaultLocalLatencyMs(0), "default_local_latency_ms: must be greater than 0, was 0");
    assertRejected(
        b -> b.defaultRemoteLatencyMs(-5),
        "default_remote_latency_ms: must be greater than 0, was -5");
    assertRejected(
        b -> b.historyMinSamples(0), "history_min_samples: must be greater than 0, was 0");
    assertRejected(
        b -> b.historySuccessBaseline(1),
        "history_success_baseline: must be at least 0 and below 1, was 1.0");
    assertRejected(
        b -> b.historySuccessBaseline(-0.1),
        "history_success_baseline: must be at least 0 and below 1, was -0.1");
    assertRejected(
        b -> b.historySuccessWeight(-1),
        "history_success_weight: must be a finite number of at least 0, was -1.0");
    assertRejected(
        b -> b.historyLatencyTargetMs(0),
        "history_latency_target_ms: must be a finite number greater than 0, was 0.0");
    assertRejected(
        b -> b.historyLatencyTargetMs(Double.NaN),
        "history_latency_target_ms: must be a finite number greater than 0, was NaN");
    assertRejected(
        b -> b.historyLatencyTargetMs(Double.POSITIVE_INFINITY),
        "history_latency_target_ms: must be a finite number greater than 0, was Infinity");
    assertRejected(
        b -> b.historyLatencyWeight(-1),
        "history_latency_weight: must be a finite number of at least 0, was -1.0");
    assertRejected(
        b -> b.historyTimeToFirstTokenTargetMs(-1),
        "history_time_to_first_token_target_ms: must be a finite number greater than 0, was -1.0");
    assertRejected(
        b -> b.historyTimeToFirstTokenWeight(-1),
        "history_time_to_first_token_weight: must be a finite number of at least 0, was -1.0");
    assertRejected(
        b -> b.historyQualityWeight(-1),
        "history_quality_weight: must be a finite number of at least 0, was -1.0");
    assertRejected(
        b -> b.taskCapabilities(TaskType.GENERAL_CHAT, List.of(" ")),
        "task_capabilities.general_chat: must not contain a blank entry");
  }

  @Test
  void build_acceptsTheEdgesOfEveryRange() {
    SelectionConfig edges =
        SelectionConfig.builder()
            .performanceWeight(0)
            .defaultPerformanceScore(0)
            .defaultRemoteSafetyScore(10)
            .costScoreZeroAtPerToken(Double.MIN_VALUE)
            .hardwareHeadroomFactor(1)
            .historyMinSamples(1)
            .historySuccessBaseline(0)
            .taskCapabilityBonus(-1)
            .build();

    assertThat(edges.hardwareHeadroomFactor()).isEqualTo(1);
    assertThat(edges.historySuccessBaseline()).isEqualTo(0);
  }

  @Test
  void builder_nullTaskOrCapabilitiesRejected() {
    assertThatThrownBy(() -> SelectionConfig.builder().taskCapabilities(null, List.of()))
        .hasMessage("task: is required");
    assertThatThrownBy(
            () -> SelectionConfig.builder().taskCapabilities(TaskType.GENERAL_CHAT, null))
        .hasMessage("capabilities: is required");
    assertThatThrownBy(() -> SelectionConfig.builder().taskCapabilities(null))
        .hasMessage("task_capabilities: is required");
  }

  private static void assertRejected(
      UnaryOperator<SelectionConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(SelectionConfig.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
