package dev.tta.models.fallback;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/** Constructor checks for durations, with messages in the style of {@link Checks}. */
final class Durations {

  private Durations() {}

  static void positive(Duration value, String field) {
    Checks.notNull(value, field);
    Checks.require(value.isPositive(), field, "must be greater than 0, was " + value);
  }

  static void notNegative(Duration value, String field) {
    Checks.notNull(value, field);
    Checks.require(!value.isNegative(), field, "must not be negative, was " + value);
  }
}
