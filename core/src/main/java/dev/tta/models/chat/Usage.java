package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.util.OptionalDouble;

/**
 * Token counts of one call, and its cost when the provider reports one.
 *
 * @param promptTokens tokens read
 * @param completionTokens tokens generated
 * @param reportedCostUsd the cost the provider billed, when it says (OpenRouter does)
 */
public record Usage(int promptTokens, int completionTokens, OptionalDouble reportedCostUsd) {

  public Usage {
    Checks.notNegative(promptTokens, "usage.prompt_tokens");
    Checks.notNegative(completionTokens, "usage.completion_tokens");
    Checks.notNull(reportedCostUsd, "usage.cost");
    reportedCostUsd.ifPresent(cost -> Checks.notNegative(cost, "usage.cost"));
  }

  public Usage(int promptTokens, int completionTokens) {
    this(promptTokens, completionTokens, OptionalDouble.empty());
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
