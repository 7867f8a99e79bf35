package dev.tta.models.catalog;

import dev.tta.models.internal.Checks;
import java.util.Arrays;
import java.util.Collection;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What is known about one model on one provider. Scores are on the original's 0-10 scale; an empty
 * score means the value is unknown, and selection then uses a documented default (see {@code
 * SelectionConfig}) and says so in its explanation.
 *
 * @param id the provider's own model id
 * @param name a human-readable name (the id when the provider gives none)
 * @param providerId the configured provider serving it
 * @param providerType the kind of that provider
 * @param description free text, possibly empty
 * @param contextLength the context window in tokens; empty when neither configuration nor the
 *     provider says it (never guessed: routing then treats the window as unknown, not as small)
 * @param inputCostPerToken USD per prompt token
 * @param outputCostPerToken USD per completion token
 * @param free true when both costs are zero and the provider marks the model free
 * @param capabilities lower-case labels such as {@code chat}, {@code dialogue}, {@code tools}
 * @param therapeuticSafetyScore 0-10, empty when unknown
 * @param performanceScore 0-10, empty when unknown
 * @param estimatedMemoryBytes RAM a local model needs when loaded, empty when unknown or remote
 * @param assistantPrefill whether the model continues an unfinished answer sent as the last message
 */
public record ModelInfo(
    String id,
    String name,
    ProviderId providerId,
    ProviderType providerType,
    String description,
    OptionalInt contextLength,
    double inputCostPerToken,
    double outputCostPerToken,
    boolean free,
    Set<String> capabilities,
    OptionalDouble therapeuticSafetyScore,
    OptionalDouble performanceScore,
    OptionalLong estimatedMemoryBytes,
    AssistantPrefill assistantPrefill) {

  public static final double MIN_SCORE = 0.0;
  public static final double MAX_SCORE = 10.0;

  public ModelInfo {
    Checks.notBlank(id, "id");
    name = name == null || name.isBlank() ? id : name;
    Checks.notNull(providerId, "provider_id");
    Checks.notNull(providerType, "provider_type");
    description = description == null ? "" : description;
    Checks.notNull(contextLength, "context_length");
    contextLength.ifPresent(tokens -> Checks.positive(tokens, "context_length"));
    Checks.notNegative(inputCostPerToken, "input_cost_per_token");
    Checks.notNegative(outputCostPerToken, "output_cost_per_token");
    if (free && (inputCostPerToken > 0 || outputCostPerToken > 0)) {
      throw new IllegalArgumentException(
          "free: must be false when input_cost_per_token or output_cost_per_token is above 0");
    }
    capabilities = Checks.labels(capabilities, "capabilities");
    Checks.inRange(therapeuticSafetyScore, MIN_SCORE, MAX_SCORE, "therapeutic_safety_score");
    Checks.inRange(performanceScore, MIN_SCORE, MAX_SCORE, "performance_score");
    Checks.notNull(estimatedMemoryBytes, "estimated_memory_bytes");
    estimatedMemoryBytes.ifPresent(bytes -> Checks.positive(bytes, "estimated_memory_bytes"));
    Checks.notNull(assistantPrefill, "assistant_prefill");
  }

  public ModelKey key() {
    return new ModelKey(providerId, id);
  }

  public boolean local() {
    return providerType.local();
  }

  /**
   * The price used for cost ceilings and the cost score: the higher of the prompt and completion
   * prices, so that a ceiling holds for whichever side of the call dominates.
   */
  public double effectiveCostPerToken() {
    return Math.max(inputCostPerToken, outputCostPerToken);
  }

  public boolean hasCapability(String capability) {
    return capabilities.contains(capability);
  }

  public Builder toBuilder() {
    return new Builder(providerId, providerType, id)
        .name(name)
        .description(description)
        .contextLength(contextLength)
        .costPerToken(inputCostPerToken, outputCostPerToken)
        .free(free)
        .capabilities(capabilities)
        .therapeuticSafetyScore(therapeuticSafetyScore)
        .performanceScore(performanceScore)
        .estimatedMemoryBytes(estimatedMemoryBytes)
        .assistantPrefill(assistantPrefill);
  }

  public static Builder builder(ProviderId providerId, ProviderType providerType, String id) {
    return new Builder(providerId, providerType, id);
  }

  /**
   * Defaults: unknown context window, zero cost (not marked free), no capabilities, unknown scores,
   * unknown assistant prefill.
   */
  public static final class Builder {
    private final ProviderId providerId;
    private final ProviderType providerType;
    private final String id;
    private String name;
    private String description = "";
    private OptionalInt contextLength = OptionalInt.empty();
    private double inputCostPerToken;
    private double outputCostPerToken;
    private boolean free;
    private Set<String> capabilities = Set.of();
    private OptionalDouble therapeuticSafetyScore = OptionalDouble.empty();
    private OptionalDouble performanceScore = OptionalDouble.empty();
    private OptionalLong estimatedMemoryBytes = OptionalLong.empty();
    private AssistantPrefill assistantPrefill = AssistantPrefill.UNKNOWN;

    private Builder(ProviderId providerId, ProviderType providerType, String id) {
      this.providerId = providerId;
      this.providerType = providerType;
      this.id = id;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder contextLength(int contextLength) {
      return contextLength(OptionalInt.of(contextLength));
    }

    public Builder contextLength(OptionalInt contextLength) {
      this.contextLength = contextLength;
      return this;
    }

    public Builder costPerToken(double input, double output) {
      this.inputCostPerToken = input;
      this.outputCostPerToken = output;
      return this;
    }

    public Builder free(boolean free) {
      this.free = free;
      return this;
    }

    public Builder capabilities(Collection<String> capabilities) {
      this.capabilities = Set.copyOf(capabilities);
      return this;
    }

    public Builder capabilities(String... capabilities) {
      return capabilities(Arrays.asList(capabilities));
    }

    public Builder therapeuticSafetyScore(double score) {
      return therapeuticSafetyScore(OptionalDouble.of(score));
    }

    public Builder therapeuticSafetyScore(OptionalDouble score) {
      this.therapeuticSafetyScore = score;
      return this;
    }

    public Builder performanceScore(double score) {
      return performanceScore(OptionalDouble.of(score));
    }

    public Builder performanceScore(OptionalDouble score) {
      this.performanceScore = score;
      return this;
    }

    public Builder estimatedMemoryBytes(long bytes) {
      return estimatedMemoryBytes(OptionalLong.of(bytes));
    }

    public Builder estimatedMemoryBytes(OptionalLong bytes) {
      this.estimatedMemoryBytes = bytes;
      return this;
    }

    public Builder assistantPrefill(AssistantPrefill assistantPrefill) {
      this.assistantPrefill = assistantPrefill;
      return this;
    }

    public ModelInfo build() {
      return new ModelInfo(
          id,
          name,
          providerId,
          providerType,
          description,
          contextLength,
          inputCostPerToken,
          outputCostPerToken,
          free,
          capabilities,
          therapeuticSafetyScore,
          performanceScore,
          estimatedMemoryBytes,
          assistantPrefill);
    }
  }
}
