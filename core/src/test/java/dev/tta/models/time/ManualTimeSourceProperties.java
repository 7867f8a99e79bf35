package dev.tta.models.time;

import static dev.tta.models.testing.PropertyChecks.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualTimeSourceProperties {

  @Test
  void advances_instantAndTickerMoveByTheSameSum() {
    qt(200)
        .forAll(
            lists().of(longs().between(0, 10_000_000_000L)).ofSizeBetween(0, 10),
            longs().between(-5_000_000_000L, 5_000_000_000L))
        .checkAssert(
            (steps, startSecond) -> {
              Instant start = Instant.ofEpochSecond(startSecond, 123_456_789);
              ManualTimeSource time = new ManualTimeSource(start);
              long sum = 0;

              for (long step : steps) {
                time.advance(Duration.ofNanos(step));
                sum += step;
              }

              assertThat(time.nanoTime()).isEqualTo(ManualTimeSource.TICKER_ORIGIN + sum);
              assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofNanos(sum));
            });
  }
}
