package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What configuration says about one model of a custom API: everything the server cannot say
 * (therapeutic safety, capabilities, prices) and what it may say wrongly (the context window).
 *
 * @param id the id the server knows the model by
 * @param name a display name, the id when blank
 * @param description free text
 * @param contextLength the context window; when empty, what the server lists, else unknown
 * @param inputCostPerToken USD per prompt token
 * @param outputCostPerToken USD per completion token
 * @param free whether the model is marked free (only with both prices 0)
 * @param capabilities labels such as {@code chat}, {@code tools}
 * @param therapeuticSafetyScore 0-10, empty when unknown
 * @param performanceScore 0-10, empty when unknown
 * @param assistantPrefill whether the model continues an answer sent as the last message; empty for
 *     the provider type's default
 */
public record CustomModelSettings(
    String id,
    String name,
    String description,
    OptionalInt contextLength,
    double inputCostPerToken,
    double outputCostPerToken,
    boolean free,
    Set<String> capabilities,
    OptionalDouble therapeuticSafetyScore,
    OptionalDouble performanceScore,
    Optional<AssistantPrefill> assistantPrefill) {

  /** Capabilities of a model when configuration names none. */
  public static final Set<String> DEFAULT_CAPABILITIES = Set.of("chat");

  public CustomModelSettings {
    Checks.notBlank(id, "models[].id");
    String field = "models[" + id + "].";
    name = name == null || name.isBlank() ? id : name;
    description = description == null ? "" : description;
    Checks.notNull(contextLength, field + "context_length");
    contextLength.ifPresent(n -> Checks.positive(n, field + "context_length"));
    Checks.notNegative(inputCostPerToken, field + "input_cost_per_token");
    Checks.notNegative(outputCostPerToken, field + "output_cost_per_token");
    Checks.require(
        !free || inputCostPerToken == 0 && outputCostPerToken == 0,
        field + "free",
        "must be false when a price is above 0");
    capabilities = Checks.labels(capabilities, field + "capabilities");
    Checks.inRange(
        therapeuticSafetyScore,
        ModelInfo.MIN_SCORE,
        ModelInfo.MAX_SCORE,
        field + "therapeutic_safety_score");
    Checks.inRange(
        performanceScore, ModelInfo.MIN_SCORE, ModelInfo.MAX_SCORE, field + "performance_score");
    Checks.notNull(assistantPrefill, field + "assistant_prefill");
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Defaults: no context override, free of charge but not marked free, chat only, unknown scores.
   */
  public static final class Builder {
    private final String id;
    private String name;
    private String description = "";
    private OptionalInt contextLength = OptionalInt.empty();
    private double inputCostPerToken;
    private double outputCostPerToken;
    private boolean free;
    private Set<String> capabilities = DEFAULT_CAPABILITIES;
    private OptionalDouble therapeuticSafetyScore = OptionalDouble.empty();
    private OptionalDouble performanceScore = OptionalDouble.empty();
    private Optional<AssistantPrefill> assistantPrefill = Optional.empty();

    private Builder(String id) {
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

    public Builder contextLength(int tokens) {
      this.contextLength = OptionalInt.of(tokens);
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
      return capabilities(Set.of(capabilities));
    }

    public Builder therapeuticSafetyScore(double score) {
      this.therapeuticSafetyScore = OptionalDouble.of(score);
      return this;
    }

    public Builder performanceScore(double score) {
      this.performanceScore = OptionalDouble.of(score);
      return this;
    }

    public Builder assistantPrefill(AssistantPrefill assistantPrefill) {
      this.assistantPrefill = Optional.of(assistantPrefill);
      return this;
    }

    public CustomModelSettings build() {
      return new CustomModelSettings(
          id,
          name,
          description,
          contextLength,
          inputCostPerToken,
          outputCostPerToken,
          free,
          capabilities,
          therapeuticSafetyScore,
          performanceScore,
          assistantPrefill);
    }
  }
}
