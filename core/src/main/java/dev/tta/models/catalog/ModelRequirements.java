package dev.tta.models.catalog;

import dev.tta.models.internal.Checks;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a caller needs from the model that serves a request. Empty optionals mean "no limit".
 * Therapeutic safety is required unless the caller says otherwise, as in the original.
 *
 * @param taskType the task, which decides the task-capability bonus and task affinities
 * @param maxLatencyMs the slowest acceptable (estimated) response time
 * @param minQualityScore the lowest acceptable performance score (0-10)
 * @param maxCostPerToken the highest acceptable effective price per token, USD
 * @param requiredCapabilities labels the model must all have
 * @param contextLengthNeeded tokens of context the request needs; 0 for no need
 * @param therapeuticSafetyRequired whether models below the safety minimum are dropped
 * @param preferFree whether free models get the free-model bonus
 * @param preferLocal whether local models get the local-model bonus
 */
public record ModelRequirements(
    TaskType taskType,
    OptionalLong maxLatencyMs,
    OptionalDouble minQualityScore,
    OptionalDouble maxCostPerToken,
    Set<String> requiredCapabilities,
    int contextLengthNeeded,
    boolean therapeuticSafetyRequired,
    boolean preferFree,
    boolean preferLocal) {

  /**
   * The fields' names as every interface spells them (configuration keys, request fields, query
   * parameters), in the order above.
   */
  public static final List<String> FIELD_NAMES =
      List.of(
          "task_type",
          "max_latency_ms",
          "min_quality_score",
          "max_cost_per_token",
          "required_capabilities",
          "context_length_needed",
          "therapeutic_safety_required",
          "prefer_free",
          "prefer_local");

  public ModelRequirements {
    Checks.notNull(taskType, "task_type");
    Checks.notNull(maxLatencyMs, "max_latency_ms");
    maxLatencyMs.ifPresent(ms -> Checks.positive(ms, "max_latency_ms"));
    Checks.inRange(minQualityScore, ModelInfo.MIN_SCORE, ModelInfo.MAX_SCORE, "min_quality_score");
    Checks.notNull(maxCostPerToken, "max_cost_per_token");
    maxCostPerToken.ifPresent(cost -> Checks.notNegative(cost, "max_cost_per_token"));
    requiredCapabilities = Checks.labels(requiredCapabilities, "required_capabilities");
    Checks.notNegative(contextLengthNeeded, "context_length_needed");
  }

  /** Requirements for a task with no limits, safety required, no preferences. */
  public static ModelRequirements forTask(TaskType taskType) {
    return builder(taskType).build();
  }

  public static Builder builder(TaskType taskType) {
    return new Builder(taskType);
  }

  public Builder toBuilder() {
    Builder builder = new Builder(taskType);
    builder.maxLatencyMs = maxLatencyMs;
    builder.minQualityScore = minQualityScore;
    builder.maxCostPerToken = maxCostPerToken;
    builder.requiredCapabilities = requiredCapabilities;
    builder.contextLengthNeeded = contextLengthNeeded;
    builder.therapeuticSafetyRequired = therapeuticSafetyRequired;
    builder.preferFree = preferFree;
    builder.preferLocal = preferLocal;
    return builder;
  }

  public static final class Builder {
    private TaskType taskType;
    private OptionalLong maxLatencyMs = OptionalLong.empty();
    private OptionalDouble minQualityScore = OptionalDouble.empty();
    private OptionalDouble maxCostPerToken = OptionalDouble.empty();
    private Set<String> requiredCapabilities = Set.of();
    private int contextLengthNeeded;
    private boolean therapeuticSafetyRequired = true;
    private boolean preferFree;
    private boolean preferLocal;

    private Builder(TaskType taskType) {
      this.taskType = taskType;
    }

    public Builder taskType(TaskType taskType) {
      this.taskType = taskType;
      return this;
    }

    public Builder maxLatencyMs(long ms) {
      this.maxLatencyMs = OptionalLong.of(ms);
      return this;
    }

    public Builder minQualityScore(double score) {
      this.minQualityScore = OptionalDouble.of(score);
      return this;
    }

    public Builder maxCostPerToken(double cost) {
      this.maxCostPerToken = OptionalDouble.of(cost);
      return this;
    }

    public Builder requiredCapabilities(Collection<String> capabilities) {
      this.requiredCapabilities = Set.copyOf(capabilities);
      return this;
    }

    public Builder requiredCapabilities(String... capabilities) {
      return requiredCapabilities(Arrays.asList(capabilities));
    }

    public Builder contextLengthNeeded(int tokens) {
      this.contextLengthNeeded = tokens;
      return this;
    }

    public Builder therapeuticSafetyRequired(boolean required) {
      this.therapeuticSafetyRequired = required;
      return this;
    }

    public Builder preferFree(boolean preferFree) {
      this.preferFree = preferFree;
      return this;
    }

    public Builder preferLocal(boolean preferLocal) {
      this.preferLocal = preferLocal;
      return this;
    }

    public ModelRequirements build() {
      return new ModelRequirements(
          taskType,
          maxLatencyMs,
          minQualityScore,
          maxCostPerToken,
          requiredCapabilities,
          contextLengthNeeded,
          therapeuticSafetyRequired,
          preferFree,
          preferLocal);
    }
  }
}
