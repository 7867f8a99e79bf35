package dev.tta.models.providers.openrouter;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Which OpenRouter models are offered: the original's "free only / prefer free / max cost" filter.
 * An operator changes it at run time (the management API), so the provider holds it as one
 * immutable value swapped whole.
 *
 * @param showFreeOnly {@code show_free_only}: offer only free models
 * @param preferFree {@code prefer_free}: list free models first (selection weighs free models
 *     through its own prefer-free requirement; this only orders the listing)
 * @param maxCostPerToken {@code max_cost_per_token}: offer only models whose dearer price (prompt
 *     or completion, USD per token) is at most this; empty for no ceiling
 */
public record OpenRouterFilter(
    boolean showFreeOnly, boolean preferFree, OptionalDouble maxCostPerToken) {

  /** Everything offered, in the catalog's order. */
  public static final OpenRouterFilter NONE =
      new OpenRouterFilter(false, false, OptionalDouble.empty());

  public static final String SHOW_FREE_ONLY_ENV = "OPENROUTER_SHOW_FREE_ONLY";
  public static final String PREFER_FREE_ENV = "OPENROUTER_PREFER_FREE_MODELS";
  public static final String MAX_COST_ENV = "OPENROUTER_MAX_COST_PER_TOKEN";

  public OpenRouterFilter {
    Checks.notNull(maxCostPerToken, "max_cost_per_token");
    maxCostPerToken.ifPresent(max -> Checks.notNegative(max, "max_cost_per_token"));
  }

  /**
   * This filter with each variable that is set in the environment taking the place of its field.
   *
   * @throws IllegalArgumentException naming the variable when its value is not a boolean or a price
   */
  public OpenRouterFilter withEnvironment(Map<String, String> env) {
    Checks.notNull(env, "env");
    boolean freeOnly = flag(env, SHOW_FREE_ONLY_ENV, showFreeOnly);
    boolean prefer = flag(env, PREFER_FREE_ENV, preferFree);
    OptionalDouble max = maxCostPerToken;
    String text = value(env, MAX_COST_ENV);
    if (text != null) {
      max = OptionalDouble.of(price(text));
    }
    return new OpenRouterFilter(freeOnly, prefer, max);
  }

  public boolean accepts(ModelInfo model) {
    if (showFreeOnly && !model.free()) {
      return false;
    }
    return maxCostPerToken.isEmpty()
        || model.effectiveCostPerToken() <= maxCostPerToken.getAsDouble();
  }

  /** The accepted models; free ones first when free is preferred, otherwise in the given order. */
  public List<ModelInfo> apply(List<ModelInfo> models) {
    List<ModelInfo> accepted = models.stream().filter(this::accepts).toList();
    if (!preferFree) {
      return accepted;
    }
    return accepted.stream().sorted(Comparator.comparing(model -> !model.free())).toList();
  }

  private static String value(Map<String, String> env, String name) {
    String text = env.get(name);
    return text == null || text.isBlank() ? null : text.strip();
  }

  private static boolean flag(Map<String, String> env, String name, boolean otherwise) {
    String text = value(env, name);
    if (text == null) {
      return otherwise;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new IllegalArgumentException(
              name + ": must be true or false (or 1/0, yes/no, on/off), was '" + text + "'");
    };
  }

  private static double price(String text) {
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          MAX_COST_ENV + ": must be a decimal number of USD per token, was '" + text + "'", e);
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException(MAX_COST_ENV + ": must be at least 0, was '" + text + "'");
    }
    return value.doubleValue();
  }
}
