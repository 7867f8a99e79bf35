package dev.tta.models.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class ManualTimeSourceProperties {

  @Property(tries = 200)
  void advances_instantAndTickerMoveByTheSameSum(
      @ForAll @Size(max = 10) List<@LongRange(min = 0, max = 10_000_000_000L) Long> steps,
      @ForAll @LongRange(min = -5_000_000_000L, max = 5_000_000_000L) long startSecond) {
    Instant start = Instant.ofEpochSecond(startSecond, 123_456_789);
    ManualTimeSource time = new ManualTimeSource(start);
    long sum = 0;

    for (long step : steps) {
      time.advance(Duration.ofNanos(step));
      sum += step;
    }

    assertThat(time.nanoTime()).isEqualTo(ManualTimeSource.TICKER_ORIGIN + sum);
    assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofNanos(sum));
  }
}
