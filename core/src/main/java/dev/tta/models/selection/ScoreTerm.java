package dev.tta.models.selection;

import dev.tta.models.internal.Checks;

/**
 * One addend of a candidate's score.
 *
 * @param name which term, one of the constants of this type
 * @param value what it adds to the score
 * @param derivation how the value came about, for example {@code 8.0 x 0.3}, naming any default
 *     used for an unknown input
 */
public record ScoreTerm(String name, double value, String derivation) {

  public static final String PERFORMANCE = "performance";
  public static final String SAFETY = "safety";
  public static final String COST = "cost";
  public static final String TASK = "task";
  public static final String AFFINITY = "affinity";
  public static final String FREE = "free";
  public static final String LOCAL = "local";
  public static final String HARDWARE = "hardware";
  public static final String HISTORY = "history";

  public ScoreTerm {
    Checks.notBlank(name, "name");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value: must be a finite number, was " + value);
    }
    Checks.notNull(derivation, "derivation");
  }
}
