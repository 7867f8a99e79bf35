package dev.tta.models.history;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * How often a budget renews. Periods are calendar periods in UTC: a day from midnight, a week from
 * Monday midnight (ISO weeks), a month from the first at midnight; {@link #TOTAL} never renews.
 */
public enum BudgetPeriod {
  DAY,
  WEEK,
  MONTH,
  TOTAL;

  /** The start of the period that {@code at} falls in; the epoch for {@link #TOTAL}. */
  public Instant start(Instant at) {
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    LocalDate first =
        switch (this) {
          case DAY -> day;
          case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
          case MONTH -> day.withDayOfMonth(1);
          case TOTAL -> LocalDate.EPOCH;
        };
    return first.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * When the period that {@code at} falls in ends and the budget renews; empty for {@link #TOTAL}.
   */
  public Optional<Instant> renewsAt(Instant at) {
    LocalDate first = LocalDate.ofInstant(start(at), ZoneOffset.UTC);
    return Optional.ofNullable(
            switch (this) {
              case DAY -> first.plusDays(1);
              case WEEK -> first.plusWeeks(1);
              case MONTH -> first.plusMonths(1);
              case TOTAL -> null;
            })
        .map(next -> next.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a period's name, in any case.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static BudgetPeriod fromWireName(String name) {
    for (BudgetPeriod period : values()) {
      if (period.wireName().equalsIgnoreCase(name)) {
        return period;
      }
    }
    throw new IllegalArgumentException(
        "per: must be one of day, week, month, total, was '" + name + "'");
  }
}
