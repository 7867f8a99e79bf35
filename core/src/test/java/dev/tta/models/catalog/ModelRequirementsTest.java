package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelRequirementsTest {

  private static ModelRequirements.Builder chat() {
    return ModelRequirements.builder(TaskType.GENERAL_CHAT);
  }

  private static ModelRequirements withOptionals(
      OptionalLong latency, OptionalDouble quality, OptionalDouble cost, Set<String> capabilities) {
    return new ModelRequirements(
        TaskType.GENERAL_CHAT, latency, quality, cost, capabilities, 0, true, false, false);
  }

  @Test
  void forTask_noLimitsSafetyRequiredNoPreferences() {
    ModelRequirements requirements = ModelRequirements.forTask(TaskType.THERAPEUTIC_RESPONSE);

    assertThat(requirements.taskType()).isSameAs(TaskType.THERAPEUTIC_RESPONSE);
    assertThat(requirements.maxLatencyMs()).isEmpty();
    assertThat(requirements.minQualityScore()).isEmpty();
    assertThat(requirements.maxCostPerToken()).isEmpty();
    assertThat(requirements.requiredCapabilities()).isEmpty();
    assertThat(requirements.contextLengthNeeded()).isZero();
    assertThat(requirements.therapeuticSafetyRequired()).isTrue();
    assertThat(requirements.preferFree()).isFalse();
    assertThat(requirements.preferLocal()).isFalse();
    assertThat(ModelRequirements.builder(TaskType.THERAPEUTIC_RESPONSE).build())
        .isEqualTo(requirements);
  }

  @Test
  void builder_everySetterReachesTheRecord() {
    ModelRequirements requirements =
        ModelRequirements.builder(TaskType.NARRATIVE_GENERATION)
            .taskType(TaskType.WORLD_BUILDING)
            .maxLatencyMs(2500)
            .minQualityScore(6.5)
            .maxCostPerToken(0.00002)
            .requiredCapabilities("chat", "long_form")
            .contextLengthNeeded(8000)
            .therapeuticSafetyRequired(false)
            .preferFree(true)
            .preferLocal(true)
            .build();

    assertThat(requirements.taskType()).isSameAs(TaskType.WORLD_BUILDING);
    assertThat(requirements.maxLatencyMs()).hasValue(2500L);
    assertThat(requirements.minQualityScore()).hasValue(6.5);
    assertThat(requirements.maxCostPerToken()).hasValue(0.00002);
    assertThat(requirements.requiredCapabilities()).containsExactly("chat", "long_form");
    assertThat(requirements.contextLengthNeeded()).isEqualTo(8000);
    assertThat(requirements.therapeuticSafetyRequired()).isFalse();
    assertThat(requirements.preferFree()).isTrue();
    assertThat(requirements.preferLocal()).isTrue();
  }

  @Test
  void requiredCapabilities_normalisedSortedAndImmutable() {
    ModelRequirements requirements =
        chat().requiredCapabilities(List.of(" Tools", "CHAT", "chat")).build();

    assertThat(requirements.requiredCapabilities()).containsExactly("chat", "tools");
    assertThatThrownBy(() -> requirements.requiredCapabilities().add("vision"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(chat().requiredCapabilities("vision", "vision").build().requiredCapabilities())
        .containsExactly("vision");
  }

  @Test
  void requiredCapabilities_blankEntryOrNullRefused() {
    assertThatThrownBy(() -> chat().requiredCapabilities("chat", "").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("required_capabilities: must not contain a blank entry");
    assertThatThrownBy(
            () ->
                withOptionals(
                    OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("required_capabilities: is required");
  }

  @Test
  void taskType_required() {
    assertThatThrownBy(() -> ModelRequirements.builder(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task_type: is required");
  }

  @Test
  void maxLatencyMs_positiveWhenSet() {
    assertThatThrownBy(() -> chat().maxLatencyMs(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_latency_ms: must be greater than 0, was 0");
    assertThatThrownBy(() -> chat().maxLatencyMs(-100).build())
        .hasMessage("max_latency_ms: must be greater than 0, was -100");
    assertThat(chat().maxLatencyMs(1).build().maxLatencyMs()).hasValue(1L);
    assertThatThrownBy(
            () -> withOptionals(null, OptionalDouble.empty(), OptionalDouble.empty(), Set.of()))
        .hasMessage("max_latency_ms: is required");
  }

  @Test
  void minQualityScore_zeroToTen() {
    assertThat(chat().minQualityScore(0).build().minQualityScore()).hasValue(0.0);
    assertThat(chat().minQualityScore(10).build().minQualityScore()).hasValue(10.0);
    assertThatThrownBy(() -> chat().minQualityScore(-0.1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("min_quality_score: must be between 0.0 and 10.0, was -0.1");
    assertThatThrownBy(() -> chat().minQualityScore(10.1).build())
        .hasMessage("min_quality_score: must be between 0.0 and 10.0, was 10.1");
    assertThatThrownBy(
            () -> withOptionals(OptionalLong.empty(), null, OptionalDouble.empty(), Set.of()))
        .hasMessage("min_quality_score: is required");
  }

  @Test
  void maxCostPerToken_notNegativeWhenSet() {
    assertThat(chat().maxCostPerToken(0).build().maxCostPerToken()).hasValue(0.0);
    assertThatThrownBy(() -> chat().maxCostPerToken(-0.01).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_cost_per_token: must be a finite number of at least 0, was -0.01");
    assertThatThrownBy(() -> chat().maxCostPerToken(Double.NaN).build())
        .hasMessage("max_cost_per_token: must be a finite number of at least 0, was NaN");
    assertThatThrownBy(
            () -> withOptionals(OptionalLong.empty(), OptionalDouble.empty(), null, Set.of()))
        .hasMessage("max_cost_per_token: is required");
  }

  @Test
  void contextLengthNeeded_notNegative() {
    assertThat(chat().contextLengthNeeded(0).build().contextLengthNeeded()).isZero();
    assertThatThrownBy(() -> chat().contextLengthNeeded(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("context_length_needed: must not be negative, was -1");
  }

  @Test
  void toBuilder_roundTripKeepsEveryField() {
    ModelRequirements original =
        ModelRequirements.builder(TaskType.CONSEQUENCE_ANALYSIS)
            .maxLatencyMs(1500)
            .minQualityScore(7)
            .maxCostPerToken(0.00001)
            .requiredCapabilities("reasoning")
            .contextLengthNeeded(4000)
            .therapeuticSafetyRequired(false)
            .preferFree(true)
            .preferLocal(true)
            .build();

    assertThat(original.toBuilder().build()).isEqualTo(original);
  }

  @Test
  void toBuilder_changesOnlyWhatIsSet() {
    ModelRequirements original = chat().maxLatencyMs(3000).preferFree(true).build();

    ModelRequirements changed = original.toBuilder().taskType(TaskType.DIALOGUE_GENERATION).build();

    assertThat(changed.taskType()).isSameAs(TaskType.DIALOGUE_GENERATION);
    assertThat(changed.maxLatencyMs()).hasValue(3000L);
    assertThat(changed.preferFree()).isTrue();
    assertThat(changed.therapeuticSafetyRequired()).isTrue();
  }
}
