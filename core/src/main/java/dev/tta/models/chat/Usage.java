package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Token counts of one call, its cost when the provider reports one, and the time the provider says
 * generation took.
 *
 * @param promptTokens tokens read
 * @param completionTokens tokens generated
 * @param reportedCostUsd the cost the provider billed, when it says (OpenRouter does)
 * @param generationTime the time the provider spent generating the completion tokens, when it says
 *     (Ollama's {@code eval_duration}); unlike a latency measured here, it leaves out queueing,
 *     loading, the prompt and the network
 * @param estimated true when the counts were estimated here from the text (a provider that sent
 *     none, or an answer pieced together from several calls), not reported by the provider
 */
public record Usage(
    int promptTokens,
    int completionTokens,
    OptionalDouble reportedCostUsd,
    Optional<Duration> generationTime,
    boolean estimated) {

  public Usage {
    Checks.notNegative(promptTokens, "usage.prompt_tokens");
    Checks.notNegative(completionTokens, "usage.completion_tokens");
    Checks.notNull(reportedCostUsd, "usage.cost");
    reportedCostUsd.ifPresent(cost -> Checks.notNegative(cost, "usage.cost"));
    Checks.notNull(generationTime, "usage.generation_time");
    generationTime.ifPresent(
        time ->
            Checks.require(!time.isNegative(), "usage.generation_time", "must not be negative"));
  }

  public Usage(
      int promptTokens,
      int completionTokens,
      OptionalDouble reportedCostUsd,
      Optional<Duration> generationTime) {
    this(promptTokens, completionTokens, reportedCostUsd, generationTime, false);
  }

  public Usage(int promptTokens, int completionTokens, OptionalDouble reportedCostUsd) {
    this(promptTokens, completionTokens, reportedCostUsd, Optional.empty());
  }

  /** Counts estimated here, not reported by a provider. */
  public static Usage estimated(int promptTokens, int completionTokens) {
    return new Usage(
        promptTokens, completionTokens, OptionalDouble.empty(), Optional.empty(), true);
  }

  public Usage(int promptTokens, int completionTokens) {
    this(promptTokens, completionTokens, OptionalDouble.empty());
  }

  public Usage withGenerationTime(Duration time) {
    return new Usage(promptTokens, completionTokens, reportedCostUsd, Optional.of(time), estimated);
  }

  /**
   * Completion tokens per second of generation, as the provider timed it; empty when it gave no
   * time (or a zero one).
   */
  public OptionalDouble tokensPerSecond() {
    if (generationTime.isEmpty() || generationTime.get().isZero()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(completionTokens * 1e9 / generationTime.get().toNanos());
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
