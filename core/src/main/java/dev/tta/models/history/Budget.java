package dev.tta.models.history;

import dev.tta.models.internal.Checks;

/**
 * What one API key may spend per period.
 *
 * @param usd the limit in US dollars, more than 0
 * @param per how often it renews
 */
public record Budget(double usd, BudgetPeriod per) {
  public Budget {
    Checks.require(Double.isFinite(usd) && usd > 0, "usd", "must be more than 0, was " + usd);
    Checks.notNull(per, "per");
  }
}
