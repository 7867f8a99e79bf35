package dev.tta.models.history;

import dev.tta.models.internal.Checks;

/**
 * What one API key's requests used over a window.
 *
 * @param requests requests made with the key (a request that fell back counts once)
 * @param promptTokens prompt tokens of every call of those requests
 * @param completionTokens completion tokens of every call of those requests
 * @param costUsd their cost in US dollars
 */
public record KeyUsage(long requests, long promptTokens, long completionTokens, double costUsd) {

  public KeyUsage {
    Checks.notNegative(requests, "requests");
    Checks.notNegative(promptTokens, "prompt_tokens");
    Checks.notNegative(completionTokens, "completion_tokens");
    Checks.notNegative(costUsd, "cost_usd");
  }
}
