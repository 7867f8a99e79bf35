package dev.tta.models.provider;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Which models a listing should return.
 *
 * @param freeOnly only free models
 * @param maxCostPerToken only models whose effective price per token is at most this
 * @param requiredCapabilities only models with all of these capabilities
 */
public record ModelFilter(
    boolean freeOnly, OptionalDouble maxCostPerToken, Set<String> requiredCapabilities) {

  public static final ModelFilter ALL = new ModelFilter(false, OptionalDouble.empty(), Set.of());

  public ModelFilter {
    Checks.notNull(maxCostPerToken, "max_cost_per_token");
    maxCostPerToken.ifPresent(cost -> Checks.notNegative(cost, "max_cost_per_token"));
    requiredCapabilities = Checks.labels(requiredCapabilities, "capabilities");
  }

  public static ModelFilter onlyFree() {
    return new ModelFilter(true, OptionalDouble.empty(), Set.of());
  }

  public static ModelFilter maxCost(double maxCostPerToken) {
    return new ModelFilter(false, OptionalDouble.of(maxCostPerToken), Set.of());
  }

  /** Whether a model passes this filter; providers that cannot filter upstream apply this. */
  public boolean accepts(ModelInfo model) {
    if (freeOnly && !model.free()) {
      return false;
    }
    if (maxCostPerToken.isPresent()
        && model.effectiveCostPerToken() > maxCostPerToken.getAsDouble()) {
      return false;
    }
    return model.capabilities().containsAll(requiredCapabilities);
  }
}
