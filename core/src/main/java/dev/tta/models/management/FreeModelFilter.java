package dev.tta.models.management;

import dev.tta.models.internal.Checks;
import java.util.OptionalDouble;

/**
 * Which models an OpenRouter-type provider lists and prefers.
 *
 * @param showFreeOnly list free models only
 * @param preferFree rank free models first when both kinds are listed
 * @param maxCostPerToken hide models whose larger per-token price is above this; empty for no limit
 */
public record FreeModelFilter(
    boolean showFreeOnly, boolean preferFree, OptionalDouble maxCostPerToken) {

  public FreeModelFilter {
    Checks.notNull(maxCostPerToken, "max_cost_per_token");
    maxCostPerToken.ifPresent(cost -> Checks.notNegative(cost, "max_cost_per_token"));
  }
}
