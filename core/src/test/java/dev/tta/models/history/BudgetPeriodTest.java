package dev.tta.models.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Periods are UTC calendar periods. The weekdays used: 2026-01-01 is a Thursday, so 2026-05-10 (day
 * 130, 129 days later, 129 mod 7 = 3) is a Sunday and 2026-12-31 (364 days later) a Thursday.
 */
class BudgetPeriodTest {

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @ParameterizedTest(name = "{0} at {1}: from {2} to {3}")
  @CsvSource({
    // a day: midnight to midnight UTC, the last millisecond still in it
    "DAY,   2026-05-10T00:00:00Z,     2026-05-10T00:00:00Z, 2026-05-11T00:00:00Z",
    "DAY,   2026-05-10T23:59:59.999Z, 2026-05-10T00:00:00Z, 2026-05-11T00:00:00Z",
    "DAY,   2026-05-11T00:00:00Z,     2026-05-11T00:00:00Z, 2026-05-12T00:00:00Z",
    "DAY,   2026-12-31T18:00:00Z,     2026-12-31T00:00:00Z, 2027-01-01T00:00:00Z",
    // a week: Monday 00:00 UTC; Sunday's last millisecond belongs to the week before
    "WEEK,  2026-05-10T23:59:59.999Z, 2026-05-04T00:00:00Z, 2026-05-11T00:00:00Z",
    "WEEK,  2026-05-11T00:00:00Z,     2026-05-11T00:00:00Z, 2026-05-18T00:00:00Z",
    // across the year: Thursday 2026-12-31 is in the week of Monday 2026-12-28
    "WEEK,  2026-12-31T12:00:00Z,     2026-12-28T00:00:00Z, 2027-01-04T00:00:00Z",
    "WEEK,  2027-01-03T23:59:59Z,     2026-12-28T00:00:00Z, 2027-01-04T00:00:00Z",
    // a month: the 1st at 00:00 UTC
    "MONTH, 2026-01-31T23:59:59.999Z, 2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z",
    "MONTH, 2026-02-01T00:00:00Z,     2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z",
    "MONTH, 2026-12-15T08:00:00Z,     2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
    // February of the leap year 2028 has a 29th, still February's
    "MONTH, 2028-02-29T12:00:00Z,     2028-02-01T00:00:00Z, 2028-03-01T00:00:00Z",
    "MONTH, 2030-04-30T23:59:59Z,     2030-04-01T00:00:00Z, 2030-05-01T00:00:00Z",
  })
  void startAndRenewal_areTheEdgesOfTheCalendarPeriod(
      BudgetPeriod period, String now, String start, String renews) {
    assertThat(period.start(at(now))).isEqualTo(at(start));
    assertThat(period.renewsAt(at(now))).contains(at(renews));
  }

  @Test
  void total_startsAtTheEpoch_andNeverRenews() {
    assertThat(BudgetPeriod.TOTAL.start(at("2026-05-10T12:00:00Z"))).isEqualTo(Instant.EPOCH);
    assertThat(BudgetPeriod.TOTAL.renewsAt(at("2026-05-10T12:00:00Z"))).isEmpty();
  }

  @Test
  void anInstantWrittenWithAnOffset_fallsInItsUtcDay() {
    // 23:30 at UTC-05:00 is 04:30 the next day in UTC
    Instant evening = java.time.OffsetDateTime.parse("2026-05-10T23:30:00-05:00").toInstant();

    assertThat(BudgetPeriod.DAY.start(evening)).isEqualTo(at("2026-05-11T00:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource({"day, DAY", "week, WEEK", "month, MONTH", "total, TOTAL"})
  void wireNames_readBack_inAnyCase(String name, BudgetPeriod period) {
    assertThat(period.wireName()).isEqualTo(name);
    assertThat(BudgetPeriod.fromWireName(name)).isEqualTo(period);
    assertThat(BudgetPeriod.fromWireName(name.toUpperCase(java.util.Locale.ROOT)))
        .isEqualTo(period);
  }

  @ParameterizedTest
  @CsvSource({"weekly", "Monthly", "''", "year"})
  void fromWireName_anythingElse_namesTheFieldAndTheAllowedValues(String name) {
    assertThatThrownBy(() -> BudgetPeriod.fromWireName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("per: must be one of day, week, month, total, was '" + name + "'");
  }
}
