package dev.tta.models.fallback;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/** Constructor checks for durations, with messages in the style of {@link Checks}. */
final class Durations {

  private Durations() {}

  static Duration positive(Duration value, String field) {
    Checks.notNull(value, field);
    Checks.require(value.isPositive(), field, "must be greater than 0, was " + value);
    return value;
  }

  static Duration notNegative(Duration value, String field) {
    Checks.notNull(value, field);
    Checks.require(!value.isNegative(), field, "must not be negative, was " + value);
    return value;
  }
}
