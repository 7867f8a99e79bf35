package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelInfoTest {

  private static final ProviderId OPENROUTER = ProviderId.of("openrouter");
  private static final ProviderId OLLAMA = ProviderId.of("ollama");

  private static ModelInfo.Builder remote(String id) {
    return ModelInfo.builder(OPENROUTER, ProviderType.OPENROUTER, id);
  }

  private static ModelInfo withAll(
      String id,
      int contextLength,
      double input,
      double output,
      boolean free,
      OptionalDouble safety,
      OptionalDouble performance,
      OptionalLong memory) {
    return new ModelInfo(
        id,
        "Name",
        OPENROUTER,
        ProviderType.OPENROUTER,
        "",
        OptionalInt.of(contextLength),
        input,
        output,
        free,
        Set.of(),
        safety,
        performance,
        memory,
        AssistantPrefill.UNKNOWN);
  }

  private static ModelInfo withCosts(double input, double output, boolean free) {
    return withAll(
        "m",
        4096,
        input,
        output,
        free,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalLong.empty());
  }

  private static ModelInfo withScores(OptionalDouble safety, OptionalDouble performance) {
    return withAll("m", 4096, 0, 0, false, safety, performance, OptionalLong.empty());
  }

  @Test
  void scoreScale_isZeroToTen() {
    assertThat(ModelInfo.MIN_SCORE).isEqualTo(0.0);
    assertThat(ModelInfo.MAX_SCORE).isEqualTo(10.0);
  }

  @Test
  void builder_defaults() {
    ModelInfo model = remote("meta-llama/llama-3.1-8b-instruct").build();

    assertThat(model.id()).isEqualTo("meta-llama/llama-3.1-8b-instruct");
    assertThat(model.name()).isEqualTo("meta-llama/llama-3.1-8b-instruct");
    assertThat(model.providerId()).isEqualTo(OPENROUTER);
    assertThat(model.providerType()).isEqualTo(ProviderType.OPENROUTER);
    assertThat(model.description()).isEmpty();
    assertThat(model.contextLength()).isEmpty();
    assertThat(model.assistantPrefill()).isEqualTo(AssistantPrefill.UNKNOWN);
    assertThat(model.inputCostPerToken()).isEqualTo(0.0);
    assertThat(model.outputCostPerToken()).isEqualTo(0.0);
    assertThat(model.free()).isFalse();
    assertThat(model.capabilities()).isEmpty();
    assertThat(model.therapeuticSafetyScore()).isEmpty();
    assertThat(model.performanceScore()).isEmpty();
    assertThat(model.estimatedMemoryBytes()).isEmpty();
  }

  @Test
  void builder_everySetterReachesTheRecord() {
    ModelInfo model =
        ModelInfo.builder(OLLAMA, ProviderType.OLLAMA, "llama3.1:8b")
            .name("Llama 3.1 8B")
            .description("Meta's 8B instruct model")
            .contextLength(131072)
            .costPerToken(0.000001, 0.000003)
            .free(false)
            .capabilities("chat", "tools")
            .therapeuticSafetyScore(7.5)
            .performanceScore(8.0)
            .estimatedMemoryBytes(5_000_000_000L)
            .build();

    assertThat(model.name()).isEqualTo("Llama 3.1 8B");
    assertThat(model.description()).isEqualTo("Meta's 8B instruct model");
    assertThat(model.contextLength()).hasValue(131072);
    assertThat(model.inputCostPerToken()).isEqualTo(0.000001);
    assertThat(model.outputCostPerToken()).isEqualTo(0.000003);
    assertThat(model.capabilities()).containsExactly("chat", "tools");
    assertThat(model.therapeuticSafetyScore()).hasValue(7.5);
    assertThat(model.performanceScore()).hasValue(8.0);
    assertThat(model.estimatedMemoryBytes()).hasValue(5_000_000_000L);
  }

  @Test
  void builder_freeZeroCostModel() {
    ModelInfo model = remote("m:free").free(true).build();

    assertThat(model.free()).isTrue();
  }

  @Test
  void builder_optionalScoresCanBeSetBackToUnknown() {
    ModelInfo model =
        remote("m")
            .therapeuticSafetyScore(8)
            .therapeuticSafetyScore(OptionalDouble.empty())
            .performanceScore(6)
            .performanceScore(OptionalDouble.empty())
            .estimatedMemoryBytes(1024)
            .estimatedMemoryBytes(OptionalLong.empty())
            .build();

    assertThat(model.therapeuticSafetyScore()).isEmpty();
    assertThat(model.performanceScore()).isEmpty();
    assertThat(model.estimatedMemoryBytes()).isEmpty();
  }

  @Test
  void builder_capabilitiesFromACollection() {
    ModelInfo model = remote("m").capabilities(List.of("vision", "chat")).build();

    assertThat(model.capabilities()).containsExactly("chat", "vision");
  }

  @Test
  void builder_repeatedCapabilityIsKeptOnce() {
    ModelInfo model = remote("m").capabilities("chat", "chat", "Chat").build();

    assertThat(model.capabilities()).containsExactly("chat");
  }

  @Test
  void name_blankOrNullFallsBackToTheId() {
    assertThat(remote("gpt-4o").name(null).build().name()).isEqualTo("gpt-4o");
    assertThat(remote("gpt-4o").name("   ").build().name()).isEqualTo("gpt-4o");
    assertThat(remote("gpt-4o").name("").build().name()).isEqualTo("gpt-4o");
  }

  @Test
  void description_nullBecomesEmpty() {
    assertThat(remote("m").description(null).build().description()).isEmpty();
  }

  @Test
  void id_blankOrNullRefused() {
    assertThatThrownBy(() -> remote(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id: must not be blank");
    assertThatThrownBy(() -> remote("").build()).hasMessage("id: must not be blank");
    assertThatThrownBy(() -> remote("  ").build()).hasMessage("id: must not be blank");
  }

  @Test
  void providerIdAndType_required() {
    assertThatThrownBy(() -> ModelInfo.builder(null, ProviderType.OLLAMA, "m").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider_id: is required");
    assertThatThrownBy(() -> ModelInfo.builder(OLLAMA, null, "m").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider_type: is required");
  }

  @Test
  void contextLength_mustBePositive() {
    assertThatThrownBy(() -> remote("m").contextLength(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("context_length: must be greater than 0, was 0");
    assertThatThrownBy(() -> remote("m").contextLength(-4096).build())
        .hasMessage("context_length: must be greater than 0, was -4096");
    assertThat(remote("m").contextLength(1).build().contextLength()).hasValue(1);
  }

  @Test
  void costs_mustBeFiniteAndNotNegative() {
    assertThatThrownBy(() -> withCosts(-0.000001, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input_cost_per_token: must be a finite number of at least 0, was -1.0E-6");
    assertThatThrownBy(() -> withCosts(0, -0.000001, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output_cost_per_token: must be a finite number of at least 0, was -1.0E-6");
    assertThatThrownBy(() -> withCosts(Double.NaN, 0, false))
        .hasMessage("input_cost_per_token: must be a finite number of at least 0, was NaN");
    assertThatThrownBy(() -> withCosts(0, Double.POSITIVE_INFINITY, false))
        .hasMessage("output_cost_per_token: must be a finite number of at least 0, was Infinity");
  }

  @Test
  void free_refusedWhenEitherPriceIsAboveZero() {
    String message =
        "free: must be false when input_cost_per_token or output_cost_per_token is above 0";
    assertThatThrownBy(() -> withCosts(0.000001, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> withCosts(0, 0.000001, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(withCosts(0, 0, true).free()).isTrue();
    assertThat(withCosts(0.000001, 0.000002, false).free()).isFalse();
  }

  @Test
  void capabilities_trimmedLowerCasedSortedAndImmutable() {
    ModelInfo model = remote("m").capabilities(" Tools ", "CHAT", "dialogue").build();

    assertThat(model.capabilities()).containsExactly("chat", "dialogue", "tools");
    assertThatThrownBy(() -> model.capabilities().add("vision"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void capabilities_nullOrBlankEntryRefused() {
    assertThatThrownBy(() -> remote("m").capabilities("chat", " ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capabilities: must not contain a blank entry");
    assertThatThrownBy(
            () ->
                new ModelInfo(
                    "m",
                    null,
                    OPENROUTER,
                    ProviderType.OPENROUTER,
                    null,
                    OptionalInt.of(1),
                    0,
                    0,
                    false,
                    null,
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalLong.empty(),
                    AssistantPrefill.UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capabilities: is required");
  }

  @Test
  void scores_boundsZeroAndTenAccepted() {
    ModelInfo low = withScores(OptionalDouble.of(0.0), OptionalDouble.of(0.0));
    ModelInfo high = withScores(OptionalDouble.of(10.0), OptionalDouble.of(10.0));

    assertThat(low.therapeuticSafetyScore()).hasValue(0.0);
    assertThat(low.performanceScore()).hasValue(0.0);
    assertThat(high.therapeuticSafetyScore()).hasValue(10.0);
    assertThat(high.performanceScore()).hasValue(10.0);
  }

  @Test
  void therapeuticSafetyScore_justOutsideTheRangeRefused() {
    assertThatThrownBy(() -> withScores(OptionalDouble.of(-0.1), OptionalDouble.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("therapeutic_safety_score: must be between 0.0 and 10.0, was -0.1");
    assertThatThrownBy(() -> withScores(OptionalDouble.of(10.1), OptionalDouble.empty()))
        .hasMessage("therapeutic_safety_score: must be between 0.0 and 10.0, was 10.1");
    assertThatThrownBy(() -> withScores(OptionalDouble.of(Double.NaN), OptionalDouble.empty()))
        .hasMessage("therapeutic_safety_score: must be between 0.0 and 10.0, was NaN");
    assertThatThrownBy(() -> withScores(null, OptionalDouble.empty()))
        .hasMessage("therapeutic_safety_score: is required");
  }

  @Test
  void performanceScore_justOutsideTheRangeRefused() {
    assertThatThrownBy(() -> withScores(OptionalDouble.empty(), OptionalDouble.of(-0.1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("performance_score: must be between 0.0 and 10.0, was -0.1");
    assertThatThrownBy(() -> withScores(OptionalDouble.empty(), OptionalDouble.of(10.1)))
        .hasMessage("performance_score: must be between 0.0 and 10.0, was 10.1");
    assertThatThrownBy(() -> withScores(OptionalDouble.empty(), null))
        .hasMessage("performance_score: is required");
  }

  @Test
  void estimatedMemoryBytes_mustBePositiveWhenKnown() {
    assertThatThrownBy(() -> remote("m").estimatedMemoryBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("estimated_memory_bytes: must be greater than 0, was 0");
    assertThatThrownBy(() -> remote("m").estimatedMemoryBytes(-1).build())
        .hasMessage("estimated_memory_bytes: must be greater than 0, was -1");
    assertThatThrownBy(() -> remote("m").estimatedMemoryBytes(null).build())
        .hasMessage("estimated_memory_bytes: is required");
    assertThat(remote("m").estimatedMemoryBytes(1).build().estimatedMemoryBytes()).hasValue(1L);
  }

  @Test
  void effectiveCostPerToken_theHigherOfInputAndOutput() {
    // input 0.000002, output 0.000006: max = 0.000006
    assertThat(withCosts(0.000002, 0.000006, false).effectiveCostPerToken()).isEqualTo(0.000006);
    // input 0.00001, output 0.000003: max = 0.00001
    assertThat(withCosts(0.00001, 0.000003, false).effectiveCostPerToken()).isEqualTo(0.00001);
    // both 0: 0
    assertThat(withCosts(0, 0, true).effectiveCostPerToken()).isEqualTo(0.0);
  }

  @Test
  void key_providerAndId() {
    ModelInfo model = remote("meta-llama/llama-3.1-8b-instruct:free").build();

    assertThat(model.key())
        .isEqualTo(new ModelKey(OPENROUTER, "meta-llama/llama-3.1-8b-instruct:free"));
    assertThat(model.key().toString())
        .isEqualTo("openrouter/meta-llama/llama-3.1-8b-instruct:free");
  }

  @Test
  void local_followsTheProviderType() {
    assertThat(ModelInfo.builder(OLLAMA, ProviderType.OLLAMA, "m").build().local()).isTrue();
    assertThat(remote("m").build().local()).isFalse();
    assertThat(
            ModelInfo.builder(ProviderId.of("gpu-box"), new ProviderType("vllm", true), "m")
                .build()
                .local())
        .isTrue();
  }

  @Test
  void hasCapability_onlyTheNormalisedLabels() {
    ModelInfo model = remote("m").capabilities("Chat", "tools").build();

    assertThat(model.hasCapability("chat")).isTrue();
    assertThat(model.hasCapability("tools")).isTrue();
    assertThat(model.hasCapability("vision")).isFalse();
  }

  @Test
  void toBuilder_roundTripKeepsEveryField() {
    ModelInfo original =
        ModelInfo.builder(OLLAMA, ProviderType.OLLAMA, "qwen2.5:7b")
            .name("Qwen 2.5 7B")
            .description("multilingual")
            .contextLength(32768)
            .costPerToken(0.0000005, 0.0000015)
            .capabilities("chat", "reasoning")
            .therapeuticSafetyScore(6.5)
            .performanceScore(7.0)
            .estimatedMemoryBytes(4_700_000_000L)
            .assistantPrefill(AssistantPrefill.SUPPORTED)
            .build();

    assertThat(original.toBuilder().build()).isEqualTo(original);
    assertThat(withCosts(0, 0, true).toBuilder().build().free()).isTrue();
  }

  @Test
  void toBuilder_changesOnlyWhatIsSet() {
    ModelInfo original = remote("m").name("Model").contextLength(8192).performanceScore(5).build();

    ModelInfo changed = original.toBuilder().contextLength(16384).build();

    assertThat(changed.contextLength()).hasValue(16384);
    assertThat(changed.name()).isEqualTo("Model");
    assertThat(changed.performanceScore()).hasValue(5.0);
    assertThat(original.contextLength()).hasValue(8192);
  }
}
